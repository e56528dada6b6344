#!/usr/bin/env bash
# library.sh SYSROOT - libevent, unmodified, from Debian's source package by its own
# configure and make with CC=vmos-cc, installed into SYSROOT (include/, lib/) for the
# ports that name it in PORT_DEPS (memcached). Static archives only (a VMOS image links
# everything); without OpenSSL (no port yet: no bufferevent_openssl), samples and
# regression programs. Debian's 0001 patch edits Makefile.am (-no-undefined, for its
# shared library); Debian's build runs autoreconf, this one marks the shipped generated
# files up to date instead (a static build does not need the change), so make does not
# ask for automake. The configured tree is kept between builds of the same version and
# options.
set -euo pipefail
sysroot=$(realpath -m "$1")
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=ports/libevent/version
. "$here/version"
work=$(dirname "$sysroot")/libevent
VMOS_CC=$(realpath "$(command -v "$VMOS_CC")")

configure=(./configure CC="$VMOS_CC" CFLAGS="-O2" --build=x86_64-pc-linux-gnu
	--host=x86_64-elf --prefix=/ --disable-shared --enable-static --disable-openssl
	--disable-samples --disable-libevent-regress)
stamp="$LIBEVENT_VERSION ${configure[*]} $(cksum <"$VMOS_CC")"
if [ ! -f "$work/configured" ] || [ "$(cat "$work/configured")" != "$stamp" ]; then
	rm -rf "$work"
	bash "$here/../../tools/debian-source.sh" libevent "$LIBEVENT_VERSION" "$work/src"
	(cd "$work/src" && touch aclocal.m4 && sleep 1 &&
		touch configure config.h.in Makefile.in evconfig-private.h.in)
	if ! (cd "$work/src" && "${configure[@]}") >"$work/configure.log" 2>&1; then
		echo "libevent: configure failed; the end of $work/configure.log:" >&2
		tail -n 30 "$work/configure.log" >&2
		exit 1
	fi
	echo "$stamp" >"$work/configured"
fi
if ! { make -C "$work/src" -j2 && make -C "$work/src" install DESTDIR="$sysroot"; } \
	>"$work/build.log" 2>&1; then
	echo "libevent: make failed; the end of $work/build.log:" >&2
	tail -n 30 "$work/build.log" >&2
	exit 1
fi
# libtool's .la files name / as their directory, which is the sysroot's, not the build
# machine's (Debian does not ship them either); the programs are the build's only.
rm -f "$sysroot"/lib/libevent*.la "$sysroot/bin/event_rpcgen.py"
