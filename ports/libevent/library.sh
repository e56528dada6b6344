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
# shellcheck source=ports/lib.sh
. "$here/../lib.sh"
work=$(dirname "$sysroot")/libevent
VMOS_CC=$(realpath "$(command -v "$VMOS_CC")")

configure=(./configure CC="$VMOS_CC" CFLAGS="-O2" --build=x86_64-pc-linux-gnu
	--host=x86_64-elf --prefix=/ --disable-shared --enable-static --disable-openssl
	--disable-samples --disable-libevent-regress)
stamp="$LIBEVENT_VERSION ${configure[*]} $(cksum <"$VMOS_CC")"
if port_needs_configure "$work" "$stamp"; then
	rm -rf "$work"
	bash "$here/../../tools/debian-source.sh" libevent "$LIBEVENT_VERSION" "$work/src"
	(cd "$work/src" && touch aclocal.m4 && sleep 1 &&
		touch configure config.h.in Makefile.in evconfig-private.h.in)
	(cd "$work/src" && port_step libevent configure "$work/configure.log" "${configure[@]}")
	port_configured "$work" "$stamp"
fi
port_step libevent make "$work/build.log" make -C "$work/src" -j2
port_step libevent "make install" "$work/install.log" make -C "$work/src" install DESTDIR="$sysroot"
# libtool's .la files name / as their directory, which is the sysroot's, not the build
# machine's (Debian does not ship them either); the programs are the build's only.
rm -f "$sysroot"/lib/libevent*.la "$sysroot/bin/event_rpcgen.py"
