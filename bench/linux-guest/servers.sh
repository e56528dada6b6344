#!/usr/bin/env bash
# servers.sh OUTDIR SERVER - the Linux guest of the side-by-side benchmark for a real
# server (SERVER: nginx, redis, memcached, speedtest1 or diskbench): build.sh's kernel, busybox and
# virtio modules, and an initramfs whose only service is Debian's own binary of that
# server with the dynamic loader and the shared libraries it needs, configured as the
# VMOS port is (ports/SERVER). speedtest1, which Debian does not ship as a program, is
# built statically with the host's gcc from Debian's sqlite3 source and the options
# ports/sqlite uses.
#
# The .debs pinned in bench/linux-guest/server-versions are fetched with apt-get
# download through a private sources list (bookworm main and bookworm-security) and
# private state under ${XDG_CACHE_HOME:-~/.cache}/vmos/debbin/servers, into the .deb
# cache build.sh uses (debbin/debs); the machine's apt set-up is not changed.
#
# OUTDIR gets (besides what build.sh makes there, run first if it has not been):
#   pkgs/PKG                  each pinned package unpacked
#   SERVER/initramfs.img      cpio newc (gzip unless COMPRESS=none): busybox, /init
#                             (server-init), /etc/server.conf, the modules, the server
#   SERVER/root               the tree it was made from
#   SERVER/build-info         versions, libraries and sizes
#   speedtest1/speedtest1     (speedtest1 only) the static program
# Boot it with run.sh's QEMU options and -initrd OUTDIR/SERVER/initramfs.img; the
# README says which guest port each server listens on.
#
# Environment: COMPRESS=gzip|none (initramfs, default gzip).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
[ $# = 2 ] || { echo "usage: $0 OUTDIR nginx|redis|memcached|speedtest1|diskbench" >&2; exit 2; }
server=$2
case "$server" in
nginx | redis | memcached | speedtest1 | diskbench) ;;
*) echo "servers.sh: SERVER is nginx, redis, memcached, speedtest1 or diskbench" >&2; exit 2 ;;
esac
mkdir -p "$1"
out=$(cd "$1" && pwd)
compress=${COMPRESS:-gzip}
case "$compress" in gzip | none) ;; *) echo "servers.sh: COMPRESS is gzip or none" >&2; exit 2 ;; esac

for tool in apt-get apt-cache dpkg-deb readelf cpio gzip gcc; do
	if ! command -v "$tool" >/dev/null; then
		case "$tool" in
		cpio) pkg=cpio ;; gcc) pkg="gcc libc6-dev" ;; readelf) pkg=binutils ;; *) pkg="apt dpkg" ;;
		esac
		echo "servers.sh: $tool is missing (Debian package: $pkg)" >&2
		exit 1
	fi
done

# --- build.sh's kernel, busybox and modules ------------------------------------------
if [ ! -f "$out/vmlinuz" ] || [ ! -x "$out/pkgs/busybox-static/bin/busybox" ] ||
	[ ! -f "$out/root/lib/modules/order" ]; then
	echo "servers.sh: no kernel, busybox or modules in $out yet: running build.sh" >&2
	bash "$here/build.sh" "$out" >&2
fi

# --- the pinned packages ------------------------------------------------------------
cache=${XDG_CACHE_HOME:-$HOME/.cache}/vmos/debbin
prog=servers.sh
# shellcheck source=bench/linux-guest/debs.sh
. "$here/debs.sh"
# Lists and apt's own cache apart from build.sh's (whose sources list has bookworm main
# only: an `apt-get update` of one would throw away the other's lists).
debs_apt "$cache/servers" "deb http://deb.debian.org/debian bookworm main" \
	"deb http://deb.debian.org/debian-security bookworm-security main"
debs_read "$here/server-versions"
debs_fetch "$here/server-versions"
pkgs=("${debs_pkgs[@]}")
for pkg in "${pkgs[@]}"; do debs_extract "$out" "$pkg"; done

# --- speedtest1, static, with ports/sqlite's options ---------------------------------
# As ports/sqlite/build.sh builds it for VMOS: Debian's source, SQLite's own configure
# (Debian's features) and make, CFLAGS -O2 -fno-strict-aliasing and Debian's -D options;
# only the compiler differs (the host's gcc and glibc, linked statically). zlib is
# switched off as in VMOS's build (only the sqlite3 shell would use it).
build_speedtest1() {
	local dir=$out/speedtest1 cflags stamp
	# shellcheck source=ports/sqlite/version
	. "$repo/ports/sqlite/version"
	# shellcheck disable=SC2086,SC2116 # the options on one line, as ports/sqlite/build.sh
	cflags="-O2 -fno-strict-aliasing $(echo $SQLITE_OPTIONS)"
	local configure=(./configure CC=gcc "${SQLITE_FEATURES[@]}" CFLAGS="$cflags"
		ac_cv_search_deflate=no)
	stamp="$SQLITE_VERSION ${configure[*]}"
	mkdir -p "$dir"
	if [ ! -f "$dir/configured" ] || [ "$(cat "$dir/configured")" != "$stamp" ]; then
		rm -f "$dir/configured" "$dir/speedtest1"
		bash "$repo/tools/debian-source.sh" sqlite3 "$SQLITE_VERSION" "$dir/src" >&2
		if ! (cd "$dir/src" && "${configure[@]}") >"$dir/configure.log" 2>&1; then
			echo "servers.sh: sqlite's ./configure failed; the end of $dir/configure.log:" >&2
			tail -n 30 "$dir/configure.log" >&2
			exit 1
		fi
		echo "$stamp" >"$dir/configured"
	fi
	if [ ! -x "$dir/speedtest1" ]; then
		# libtool's -all-static links the program fully static (its -static would not).
		if ! make -C "$dir/src" -j2 LTLINK_EXTRAS=-all-static speedtest1 >"$dir/build.log" 2>&1; then
			echo "servers.sh: make speedtest1 failed; the end of $dir/build.log:" >&2
			tail -n 30 "$dir/build.log" >&2
			exit 1
		fi
		strip -o "$dir/speedtest1" "$dir/src/speedtest1"
	fi
}

# --- the root ------------------------------------------------------------------------
dest=$out/$server
root=$dest/root
rm -rf "$root"
mkdir -p "$root"/{bin,dev,proc,sys,etc,lib/modules,lib64,tmp,run}
cp "$out/pkgs/busybox-static/bin/busybox" "$root/bin/busybox"
for applet in sh mount ip insmod cat echo ls udhcpc poweroff mkdir grep; do
	ln -s busybox "$root/bin/$applet"
done
cp "$here/server-init" "$root/init"
cp "$here/udhcpc.script" "$root/etc/udhcpc.script"
chmod 755 "$root/init" "$root/etc/udhcpc.script"
# build.sh's modules, in its order; the run-to-completion programs (the disk rows of
# make bench run them on a data disk) also get virtio_blk, which server-init loads only
# when there is a disk (its dependencies, virtio and virtio_ring, come before it).
cp "$out/root/lib/modules/"* "$root/lib/modules/"
case "$server" in
speedtest1 | diskbench)
	blk=$(find "$out"/pkgs/linux-image-*/lib/modules -name virtio_blk.ko | head -n 1)
	[ -n "$blk" ] || { echo "servers.sh: the kernel package has no virtio_blk.ko" >&2; exit 1; }
	cp "$blk" "$root/lib/modules/virtio_blk.ko"
	echo virtio_blk >>"$root/lib/modules/order"
	;;
esac
# The users the servers run as (www-data for nginx, memcache for memcached): the VMOS
# memcached port's files, Debian's ids.
cp "$repo/ports/memcached/passwd" "$root/etc/passwd"
cp "$repo/ports/memcached/group" "$root/etc/group"
# The kernel opens /dev/console for init before anything is mounted (mknod needs root).
mknod "$root/dev/console" c 5 1 2>/dev/null || true

# put PKG PATH... - copy files of an unpacked package to the same paths in the root.
put() {
	local pkg=$1 path
	shift
	for path in "$@"; do
		mkdir -p "$root/$(dirname "$path")"
		cp -a "$out/pkgs/$pkg/$path" "$root/$path"
	done
}

end="exec"
case "$server" in
nginx)
	put nginx usr/sbin/nginx
	program=/usr/sbin/nginx
	args="-c /etc/nginx/nginx.conf"
	# Debian's /etc/nginx with the port's nginx.conf and default site (IPv4 only, as in
	# VMOS), as ports/nginx/build.sh lays it out; Debian's start page where its
	# postinst puts it, and the bench documents (index.html, 64k.bin) beside it.
	put nginx-common etc/nginx
	rm -rf "$root/etc/nginx/sites-available"
	mkdir -p "$root/etc/nginx/sites-enabled" "$root/etc/nginx/conf.d" "$root/etc/nginx/modules-enabled"
	cp "$repo/ports/nginx/nginx.conf" "$root/etc/nginx/nginx.conf"
	cp "$repo/ports/nginx/default-site" "$root/etc/nginx/sites-enabled/default"
	bash "$here/mkwww.sh" "$root/var/www/html"
	cp "$out/pkgs/nginx-common/usr/share/nginx/html/index.html" "$root/var/www/html/index.nginx-debian.html"
	# Its temporary files, its compiled-in log folder (opened before the configuration
	# is read) and the pid file's folder.
	mkdir -p "$root/var/lib/nginx" "$root/var/log/nginx" "$root/run"
	;;
redis)
	# redis-server is a link to redis-check-rdb, which runs as the server by that name.
	put redis-tools usr/bin/redis-check-rdb
	put redis-server usr/bin/redis-server etc/redis/redis.conf
	cp "$repo/ports/redis/vmos.conf" "$root/etc/redis/vmos.conf"
	# The folders Debian's package creates and its redis.conf names: redis checks
	# `dir /var/lib/redis` and the log file's folder while it reads the file, before
	# vmos.conf's lines replace them (as ports/redis/build.sh).
	mkdir -p "$root/var/lib/redis" "$root/var/log/redis" "$root/run/redis"
	program=/usr/bin/redis-server
	args=/etc/redis/vmos.conf
	;;
memcached)
	put memcached usr/bin/memcached
	program=/usr/bin/memcached
	# ports/memcached/port.mk's command line.
	args="-m 64 -p 11211 -u memcache -l 0.0.0.0 -t 4"
	;;
speedtest1)
	build_speedtest1
	mkdir -p "$root/usr/bin"
	cp "$out/speedtest1/speedtest1" "$root/usr/bin/speedtest1"
	program=/usr/bin/speedtest1
	# ports/speedtest1/port.mk's command line; the database on init's tmpfs /tmp.
	args="--size 25 /tmp/speedtest1.db"
	end=poweroff
	;;
diskbench)
	# bench/diskbench as VMOS builds it, static for Linux; the data disk at /data.
	mkdir -p "$root/usr/bin"
	gcc -std=gnu11 -O2 -static -s -Wall -Wextra -Werror -o "$root/usr/bin/diskbench" \
		"$repo/bench/diskbench/diskbench.c"
	program=/usr/bin/diskbench
	args="/data 64 5"
	end=poweroff
	;;
esac
printf 'SERVER=%s\nSERVER_CMD=%s\nSERVER_ARGS=%q\nSERVER_END=%s\n' \
	"$server" "$program" "$args" "$end" >"$root/etc/server.conf"

# --- the dynamic loader and the shared libraries ------------------------------------
# Every DT_NEEDED library of the program and, recursively, of those libraries, from the
# pinned library packages, at its Debian path (/lib/x86_64-linux-gnu or
# /usr/lib/x86_64-linux-gnu: both are in the loader's built-in search path, so no
# ld.so.cache is needed). A name no pinned package has stops the build.
libdirs=(lib/x86_64-linux-gnu usr/lib/x86_64-linux-gnu)
# needed FILE - its DT_NEEDED names.
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'; }
# find_lib SONAME - "PKG RELPATH" of the first pinned package that has it.
find_lib() {
	local pkg d
	for pkg in "${pkgs[@]}"; do
		for d in "${libdirs[@]}"; do
			if [ -e "$out/pkgs/$pkg/$d/$1" ]; then
				echo "$pkg $d/$1"
				return
			fi
		done
	done
	return 0
}
bin=$root$program
interp=$(readelf -l "$bin" | sed -n 's/.*\[Requesting program interpreter: \(.*\)\]$/\1/p')
libs=()
if [ -n "$interp" ]; then
	# Debian's /lib64/ld-linux-x86-64.so.2 is a link to the loader in libc6's
	# /lib/x86_64-linux-gnu; libc.so.6 names it as NEEDED too, so it is copied below.
	[ "$interp" = /lib64/ld-linux-x86-64.so.2 ] ||
		{ echo "servers.sh: $program asks for the loader $interp" >&2; exit 1; }
	ln -s /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$root/lib64/ld-linux-x86-64.so.2"
	declare -A done_lib=()
	queue=("$bin")
	while [ ${#queue[@]} -gt 0 ]; do
		file=${queue[0]}
		queue=("${queue[@]:1}")
		for name in $(needed "$file"); do
			[ -n "${done_lib[$name]:-}" ] && continue
			done_lib[$name]=1
			found=$(find_lib "$name")
			if [ -z "$found" ]; then
				echo "servers.sh: $name (needed by ${file#"$root"}) is in none of the pinned" \
					"packages of $here/server-versions" >&2
				exit 1
			fi
			read -r pkg rel <<<"$found"
			mkdir -p "$root/$(dirname "$rel")"
			cp -L "$out/pkgs/$pkg/$rel" "$root/$rel"
			libs+=("$name ($pkg ${version[$pkg]})")
			queue+=("$root/$rel")
		done
	done
	[ -f "$root/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" ] ||
		{ echo "servers.sh: the loader is not among the libraries" >&2; exit 1; }
fi

# --- the initramfs ---------------------------------------------------------------------
if [ "$compress" = gzip ]; then
	(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -9n) \
		>"$dest/initramfs.img"
else
	(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$dest/initramfs.img"
fi

size() { stat -L -c %s "$1"; }
{
	echo "server: $server, $program $args (then: $end)"
	case "$server" in
	nginx) echo "packages: nginx ${version[nginx]}, nginx-common ${version[nginx-common]}" ;;
	redis) echo "packages: redis-server ${version[redis-server]}, redis-tools ${version[redis-tools]}" ;;
	memcached) echo "packages: memcached ${version[memcached]}" ;;
	speedtest1) echo "speedtest1: static, host gcc, sqlite3 source $SQLITE_VERSION" ;;
	esac
	echo "program: $(size "$bin") bytes"
	[ ${#libs[@]} -gt 0 ] && printf 'library: %s\n' "${libs[@]}"
	echo "initramfs.img ($compress): $(size "$dest/initramfs.img") bytes"
} >"$dest/build-info"
cat "$dest/build-info"
