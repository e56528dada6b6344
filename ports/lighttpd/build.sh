#!/usr/bin/env bash
# build.sh OUT.elf - lighttpd, unmodified, from Debian's source package by its own
# configure and make with CC=vmos-cc, as the static build its INSTALL describes
# (LIGHTTPD_STATIC=yes: the modules are linked into the program, there is no dlopen):
# the builder writes src/plugin-static.h, the list of modules, as a build step; here it
# is every module the static lighttpd_SOURCES of src/Makefile.am names. Without what
# needs a library VMOS has no port of yet (PCRE2: mod_rewrite's and mod_redirect's
# patterns, conditionals on regular expressions; zlib and bzip2: mod_deflate's
# compression; the TLS modules are separate programs' worth of library) and without IPv6
# (lwIP runs IPv4 only here). The configured tree is kept between builds of the same
# version and options; the program is always linked again, since the image it becomes
# holds the kernel and the files too.
#   LIGHTTPD_EXTRA_FILES  more SOURCE:DEST pairs for the image (tests add their documents)
set -euo pipefail
out=$(realpath -m "$1")
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=ports/lighttpd/version
. "$here/version"
# shellcheck source=ports/lib.sh
. "$here/../lib.sh"
work=$(dirname "$out")/lighttpd
VMOS_CC=$(realpath "$(command -v "$VMOS_CC")")
log=$work/build.log

configure=(./configure CC="$VMOS_CC" CFLAGS="-O2" --build=x86_64-pc-linux-gnu
	--host=x86_64-elf --prefix=/usr --sysconfdir=/etc --libdir=/usr/lib/lighttpd
	--without-pcre2 --without-zlib --without-bzip2 --disable-ipv6)
stamp="$LIGHTTPD_VERSION ${configure[*]} $(cksum <"$VMOS_CC")"
if port_needs_configure "$work" "$stamp"; then
	bash "$here/../../tools/debian-source.sh" lighttpd "$LIGHTTPD_VERSION" "$work/src"
	(cd "$work/src" && port_step lighttpd configure "$work/configure.log" \
		env LIGHTTPD_STATIC=yes "${configure[@]}")
	# INSTALL, "static build": PLUGIN_INIT(mod_foo) for each module of the static
	# lighttpd_SOURCES (mod_*_api.c are helpers of the modules, not modules).
	awk '/^if LIGHTTPD_STATIC/ {on = 1} on && /lighttpd_CPPFLAGS/ {exit}
		on && match($0, /mod_[a-z0-9_]+\.c/) {
			name = substr($0, RSTART, RLENGTH - 2)
			if (name !~ /_api$/) print "PLUGIN_INIT(" name ")"
		}' "$work/src/src/Makefile.am" >"$work/src/src/plugin-static.h"
	grep -q "PLUGIN_INIT(mod_staticfile)" "$work/src/src/plugin-static.h" || {
		echo "lighttpd: no module list found in src/Makefile.am" >&2
		exit 1
	}
	port_configured "$work" "$stamp"
fi

# /etc/lighttpd: the port's lighttpd.conf (Debian's, without its perl helpers) and the
# MIME types Debian's create-mime.conf.pl would make, from lighttpd's own copy; Debian's
# placeholder page and its 99-unconfigured.conf (which serves it at /) as the package's
# postinst enables them on a fresh install; the empty folders the paths name.
etc=$work/etc
rm -rf "$etc" "$work/empty" "$work/html"
mkdir -p "$etc/conf.d" "$etc/conf-enabled" "$work/empty" "$work/html"
cp "$here/lighttpd.conf" "$etc/lighttpd.conf"
cp "$work/src/doc/config/conf.d/mime.conf" "$etc/conf.d/mime.conf"
cp "$work/src/debian/index.html" "$work/html/index.lighttpd.html"
cp "$work/src/debian/conf-available/99-unconfigured.conf" "$etc/conf-enabled/"
VMOS_FILES="$etc:/etc/lighttpd $work/html:/var/www/html $work/empty:/var/cache/lighttpd/uploads"
VMOS_FILES+=" $work/empty:/var/log/lighttpd ${LIGHTTPD_EXTRA_FILES:-}"
export VMOS_FILES

rm -f "$work/src/src/lighttpd"
# versionstamp.h is one of the BUILT_SOURCES that only `make all` makes first.
port_step lighttpd "make versionstamp" "$work/versionstamp.log" make -C "$work/src/src" versionstamp
port_step lighttpd make "$log" make -C "$work/src/src" -j2 lighttpd
cp "$work/src/src/lighttpd" "$out"
