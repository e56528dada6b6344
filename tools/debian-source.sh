#!/usr/bin/env bash
# debian-source.sh PACKAGE VERSION DEST - unpack Debian source package PACKAGE at exactly
# VERSION (Debian's patches applied) into DEST, for ports built from Debian's archive.
#
# apt runs with a private deb-src list and private state under the cache folder
# (-o Dir::Etc::SourceList=...), so the machine's own apt set-up is not changed. The
# downloaded source is cached in ${XDG_CACHE_HOME:-~/.cache}/vmos/debsrc/.
set -euo pipefail
pkg=$1
version=$2
dest=$3
suite=${VMOS_DEBIAN_SUITE:-bookworm}
cache=${XDG_CACHE_HOME:-$HOME/.cache}/vmos/debsrc
mkdir -p "$cache/lists/partial" "$cache/archives/partial" "$cache/src"
# The release, its point-release updates and its security updates: a pinned version
# may be a security fix that only the last one carries.
printf 'deb-src http://deb.debian.org/debian %s main\ndeb-src http://deb.debian.org/debian %s-updates main\ndeb-src http://deb.debian.org/debian-security %s-security main\n' \
	"$suite" "$suite" "$suite" >"$cache/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$cache/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
	-o "Dir::State::Lists=$cache/lists" -o "Dir::Cache=$cache" -o "APT::Sandbox::User=root")

dsc=$(ls "$cache/src/${pkg}_${version#*:}.dsc" 2>/dev/null || true)
if [ -z "$dsc" ]; then
	if ! command -v dpkg-source >/dev/null; then
		echo "debian-source: dpkg-source is missing (Debian package dpkg-dev)" >&2
		exit 1
	fi
	echo "debian-source: fetching $pkg $version from Debian ($suite)"
	apt-get "${apt_opts[@]}" update -qq
	available=$(apt-cache "${apt_opts[@]}" showsrc "$pkg" | awk '/^Version:/ {print $2}')
	if ! grep -qx "$version" <<<"$available"; then
		echo "debian-source: $pkg $version is not in Debian $suite (it has: $(echo $available))" >&2
		exit 1
	fi
	(cd "$cache/src" && apt-get "${apt_opts[@]}" source --download-only -qq "$pkg=$version")
	dsc=$cache/src/${pkg}_${version#*:}.dsc
fi
rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
dpkg-source --no-check -x "$dsc" "$dest" >/dev/null
