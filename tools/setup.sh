#!/usr/bin/env bash
# setup.sh - make sure the tools the build and the tests need are installed.
# On Debian and Ubuntu missing ones are installed with apt-get (as root, or through sudo);
# elsewhere the script names what is missing and stops.
set -euo pipefail

# command-or-file  Debian package
needs=(
	"nasm nasm"
	"qemu-system-x86_64 qemu-system-x86"
	"gcc gcc"
	"ld binutils"
	"make make"
	"readelf binutils"
	"timeout coreutils"
	"/usr/include/cmocka.h libcmocka-dev"
	"/usr/share/seabios/bios-256k.bin seabios"
	"clang-format clang-format"
	"git git"
	"cpio cpio"
	"dpkg-source dpkg-dev"
	"curl curl"
	"python3 python3"
	"wrk wrk"
	"ip iproute2"
	"patch patch"
	"tclsh tcl"
	"redis-cli redis-tools"
	"memcping libmemcached-tools"
	"/usr/sbin/mkfs.ext4 e2fsprogs"
)

missing_pkgs=()
missing_what=()
for entry in "${needs[@]}"; do
	what=${entry%% *}
	pkg=${entry##* }
	if [[ $what == /* ]]; then
		[ -e "$what" ] && continue
	else
		command -v "$what" >/dev/null 2>&1 && continue
	fi
	missing_what+=("$what")
	missing_pkgs+=("$pkg")
done

[ ${#missing_pkgs[@]} -eq 0 ] && exit 0

echo "setup: missing ${missing_what[*]}"
if ! command -v apt-get >/dev/null 2>&1; then
	echo "setup: this is not a Debian or Ubuntu system; install the equivalents of these" >&2
	echo "setup: Debian packages by hand: $(printf '%s\n' "${missing_pkgs[@]}" | sort -u | tr '\n' ' ')" >&2
	exit 1
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
	if ! command -v sudo >/dev/null 2>&1; then
		echo "setup: need root to install: $(printf '%s\n' "${missing_pkgs[@]}" | sort -u | tr '\n' ' ')" >&2
		echo "setup: run 'apt-get install' for them as root, or install sudo" >&2
		exit 1
	fi
	sudo=(sudo)
fi
pkgs=$(printf '%s\n' "${missing_pkgs[@]}" | sort -u | tr '\n' ' ')
echo "setup: installing $pkgs"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
# shellcheck disable=SC2086
"${sudo[@]}" apt-get install -y -qq --no-install-recommends $pkgs
