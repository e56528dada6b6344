#!/usr/bin/env bash
# build.sh [--target PROGRAM] OUT.elf - a program of SQLite's source tree (the `sqlite3`
# shell unless --target says otherwise: ports/speedtest1 asks for `speedtest1`),
# unmodified, from Debian's source package by SQLite's own ./configure and make, with
# CC=vmos-cc and Debian's compile-time options (debian/rules). The configured tree is
# kept between builds of the same version and options; the program is always linked
# again, since the image it becomes holds the kernel too.
set -euo pipefail
target=sqlite3
if [ "${1:-}" = --target ]; then
	target=$2
	shift 2
fi
out=$(realpath -m "$1")
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=ports/sqlite/version
. "$here/version"
# shellcheck source=ports/lib.sh
. "$here/../lib.sh"
work=$(dirname "$out")/sqlite
log=$work/build-$target.log

# Debian's options (ports/sqlite/version), so that the image's SQLite is the one Debian
# users run. A cross build: the tools that generate sources (lemon, mkkeywordhash) are
# built with the host's gcc (BCC) and run on the host; tclsh makes the amalgamation.
# shellcheck disable=SC2086
cflags="-O2 -fno-strict-aliasing $(echo $SQLITE_OPTIONS)"
configure=(./configure CC="$VMOS_CC" BCC=gcc --build=x86_64-pc-linux-gnu --host=x86_64-elf
	"${SQLITE_FEATURES[@]}" CFLAGS="$cflags")
stamp="$SQLITE_VERSION ${configure[*]}"
if port_needs_configure "$work" "$stamp"; then
	bash "$here/../../tools/debian-source.sh" sqlite3 "$SQLITE_VERSION" "$work/src"
	(cd "$work/src" && port_step sqlite ./configure "$work/configure.log" "${configure[@]}")
	port_configured "$work" "$stamp"
fi
rm -f "$work/src/$target"
[ "$target" = sqlite3 ] && export VMOS_FILES="$here/sql:/sqlite"
# CROSS_BUILDING=yes as debian/rules sets it for a cross build: Debian's 30-cross.patch
# then builds the parser generator lemon with BCC, to run it here.
port_step sqlite "make $target" "$log" make -C "$work/src" -j2 CROSS_BUILDING=yes "$target"
cp "$work/src/$target" "$out"
