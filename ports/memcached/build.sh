#!/usr/bin/env bash
# build.sh OUT.elf - memcached, unmodified, from Debian's source package by its own
# configure and make with CC=vmos-cc, linked against libevent from VMOS_SYSROOT (the
# port's PORT_DEPS; vmos-cc searches it). Debian configures with --enable-sasl and
# --enable-tls: both are off here (no Cyrus SASL or OpenSSL port yet), and so are the
# documents (xml2rfc). configure runs cross (--host=x86_64-elf): its size checks compile
# instead of running, and its alignment check, which would only run, is answered with
# what that probe says when it runs in a VMOS image (x86-64: unaligned access works,
# ac_cv_c_alignment=none). The image's /etc/passwd and /etc/group add the memcache user
# Debian's package creates (memcached -u memcache). The configured tree is kept between
# builds of the same version and options.
set -euo pipefail
out=$(realpath -m "$1")
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=ports/memcached/version
. "$here/version"
# shellcheck source=ports/lib.sh
. "$here/../lib.sh"
work=$(dirname "$out")/memcached
VMOS_CC=$(realpath "$(command -v "$VMOS_CC")")
log=$work/build.log
: "${VMOS_SYSROOT:?memcached needs libevent: build it with make PORT=memcached image}"
export VMOS_SYSROOT

configure=(./configure CC="$VMOS_CC" CFLAGS="-O2" --build=x86_64-pc-linux-gnu
	--host=x86_64-elf --prefix=/usr --disable-sasl --disable-tls --disable-docs
	ac_cv_c_alignment=none)
stamp="$MEMCACHED_VERSION ${configure[*]} $(cksum <"$VMOS_CC") $(cat "$VMOS_SYSROOT"/.installed-* 2>/dev/null | cksum)"
if port_needs_configure "$work" "$stamp"; then
	rm -rf "$work"
	bash "$here/../../tools/debian-source.sh" memcached "$MEMCACHED_VERSION" "$work/src"
	(cd "$work/src" && port_step memcached configure "$work/configure.log" "${configure[@]}")
	port_configured "$work" "$stamp"
fi

VMOS_FILES="$here/passwd:/etc/passwd $here/group:/etc/group"
export VMOS_FILES
rm -f "$work/src/memcached"
port_step memcached make "$log" make -C "$work/src" -j2 memcached
cp "$work/src/memcached" "$out"
