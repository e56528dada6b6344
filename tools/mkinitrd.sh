#!/usr/bin/env bash
# mkinitrd.sh OUT.cpio [SOURCE:DEST ...] [--defaults SOURCE:DEST ...] - a cpio "newc"
# archive of the given files and folders, each placed at DEST (an absolute path) in the
# image's RAM filesystem (a folder given for a DEST that is already a folder adds its
# files to it); a pair after --defaults only when nothing before it is at DEST
# (the POSIX layer's /etc/passwd and /etc/group, which a port may ship its own of).
# Owners become root; modes and modification times are kept.
set -euo pipefail
out=$1
shift
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/root"
defaults=false
for pair in "$@"; do
	if [ "$pair" = --defaults ]; then
		defaults=true
		continue
	fi
	src=${pair%%:*}
	dest=${pair#*:}
	if [ "$src" = "$pair" ] || [ -z "$dest" ] || [ "${dest#/}" = "$dest" ]; then
		echo "mkinitrd: '$pair' is not SOURCE:/absolute/destination" >&2
		exit 1
	fi
	if [ ! -e "$src" ]; then
		echo "mkinitrd: $src does not exist" >&2
		exit 1
	fi
	if $defaults && [ -e "$stage/root$dest" ]; then
		continue
	fi
	mkdir -p "$stage/root$(dirname "$dest")"
	if [ -d "$src" ] && [ -d "$stage/root$dest" ]; then
		cp -a "$src/." "$stage/root$dest" # a second folder for DEST adds to it
	else
		cp -a "$src" "$stage/root$dest"
	fi
done
(cd "$stage/root" && find . -mindepth 1 | LC_ALL=C sort |
	cpio --quiet -o -H newc --owner=0:0 --reproducible) >"$out.tmp"
mv "$out.tmp" "$out"
