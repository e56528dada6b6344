#!/usr/bin/env bash
# build.sh OUT.elf - nginx, unmodified, from Debian's source package by nginx's own
# auto/configure and make with CC=vmos-cc: Debian's paths and modules (debian/rules),
# without what needs a library VMOS has no port of yet (SSL: OpenSSL; rewrite and PCRE:
# PCRE2; gzip: zlib). nginx's configure runs its test programs (type sizes, byte order,
# working epoll, sendfile, mmap); vmos-cc's VMOS_CC_RUNNABLE=1 makes each one boot in
# QEMU, so the answers are VMOS's own. The configured tree is kept between builds of the
# same version and options; the program is always linked again, since the image it
# becomes holds the kernel and the files too.
#   NGINX_EXTRA_FILES  more SOURCE:DEST pairs for the image (tests add their documents)
set -euo pipefail
out=$(realpath -m "$1")
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=ports/nginx/version
. "$here/version"
# shellcheck source=ports/lib.sh
. "$here/../lib.sh"
work=$(dirname "$out")/nginx
# configure runs in the source tree: the compiler's path must not be relative.
VMOS_CC=$(realpath "$(command -v "$VMOS_CC")")
log=$work/build.log

configure=(./configure --with-cc="$VMOS_CC" --with-cc-opt="-O2" --prefix=/usr/share/nginx
	--conf-path=/etc/nginx/nginx.conf --http-log-path=/var/log/nginx/access.log
	--error-log-path=stderr --lock-path=/var/lock/nginx.lock --pid-path=/run/nginx.pid
	--modules-path=/usr/lib/nginx/modules --http-client-body-temp-path=/var/lib/nginx/body
	--http-fastcgi-temp-path=/var/lib/nginx/fastcgi --http-proxy-temp-path=/var/lib/nginx/proxy
	--http-scgi-temp-path=/var/lib/nginx/scgi --http-uwsgi-temp-path=/var/lib/nginx/uwsgi
	--with-http_stub_status_module --with-http_realip_module --with-http_auth_request_module
	--with-http_v2_module --with-http_dav_module --with-http_slice_module --with-threads
	--without-http_rewrite_module --without-pcre --without-http_gzip_module)
stamp="$NGINX_VERSION ${configure[*]} $(cksum <"$VMOS_CC")"
if port_needs_configure "$work" "$stamp"; then
	bash "$here/../../tools/debian-source.sh" nginx "$NGINX_VERSION" "$work/src"
	(cd "$work/src" && port_step nginx auto/configure "$work/configure.log" \
		env VMOS_CC_RUNNABLE=1 "${configure[@]}")
	port_configured "$work" "$stamp"
fi

# Debian's /etc/nginx (debian/conf: mime.types, fastcgi_params, snippets...) with the
# port's nginx.conf and default site in place of Debian's; Debian's start page as its
# package installs it; the empty folders its paths name.
etc=$work/etc
rm -rf "$etc" "$work/empty" "$work/html"
cp -a "$work/src/debian/conf" "$etc"
rm -rf "$etc/sites-available"
mkdir -p "$etc/sites-enabled" "$etc/conf.d" "$etc/modules-enabled" "$work/empty" "$work/html"
cp "$here/nginx.conf" "$etc/nginx.conf"
cp "$here/default-site" "$etc/sites-enabled/default"
cp "$work/src/html/index.html" "$work/html/index.nginx-debian.html"
VMOS_FILES="$etc:/etc/nginx $work/html:/var/www/html $work/empty:/var/lib/nginx"
VMOS_FILES+=" $work/empty:/var/log/nginx $work/empty:/var/lock ${NGINX_EXTRA_FILES:-}"
export VMOS_FILES

rm -f "$work/src/objs/nginx"
port_step nginx make "$log" make -C "$work/src" -j2
cp "$work/src/objs/nginx" "$out"
