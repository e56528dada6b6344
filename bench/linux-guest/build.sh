#!/usr/bin/env bash
# build.sh OUTDIR - build the Linux guest of the side-by-side benchmark: Debian's cloud
# kernel and an initramfs whose only service is ports/httpd, built statically for Linux
# from the same sources as the VMOS image (body_rw.c, as VMOS uses).
#
# The Debian binary packages pinned in bench/linux-guest/versions are fetched with
# apt-get download through a private sources list and private state under
# ${XDG_CACHE_HOME:-~/.cache}/vmos/debbin (the machine's apt set-up is not changed) and
# cached there; a second build reuses them and everything in OUTDIR that is up to date.
#
# OUTDIR gets:
#   vmlinuz              Debian's kernel as shipped (bzImage, Linux boot protocol)
#   vmlinux              the same kernel decompressed (ELF with a PVH note: run.sh BOOT=pvh)
#   initramfs.img        cpio newc (gzip unless COMPRESS=none): busybox, /init, httpd,
#                        /www, the virtio modules the kernel has as modules
#   httpd                the static httpd
#   build-info           versions and sizes
#
# Environment: COMPRESS=gzip|none (initramfs, default gzip).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
[ $# = 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
mkdir -p "$1"
out=$(cd "$1" && pwd)
compress=${COMPRESS:-gzip}
case "$compress" in gzip | none) ;; *) echo "build.sh: COMPRESS is gzip or none" >&2; exit 2 ;; esac

for tool in apt-get apt-cache dpkg-deb cpio gzip gcc; do
	if ! command -v "$tool" >/dev/null; then
		case "$tool" in
		cpio) pkg=cpio ;; gcc) pkg="gcc libc6-dev" ;; *) pkg="apt dpkg" ;;
		esac
		echo "build.sh: $tool is missing (Debian package: $pkg)" >&2
		exit 1
	fi
done
[ -f /usr/lib/x86_64-linux-gnu/libc.a ] ||
	{ echo "build.sh: no static C library (Debian package libc6-dev)" >&2; exit 1; }

# --- the pinned packages ------------------------------------------------------------
suite=bookworm
cache=${XDG_CACHE_HOME:-$HOME/.cache}/vmos/debbin
prog=build.sh
# shellcheck source=bench/linux-guest/debs.sh
. "$here/debs.sh"
debs_apt "$cache" "deb http://deb.debian.org/debian $suite main"
debs_read "$here/versions"
kernel_pkg=""
for pkg in "${debs_pkgs[@]}"; do [[ $pkg == linux-image-* ]] && kernel_pkg=$pkg; done
if [ -z "$kernel_pkg" ] || [ -z "${version[busybox-static]:-}" ]; then
	echo "build.sh: $here/versions must name a linux-image-* and busybox-static" >&2
	exit 1
fi
debs_fetch "$here/versions"
debs_extract "$out" "$kernel_pkg"
debs_extract "$out" busybox-static
kdir=$out/pkgs/$kernel_pkg
kver=${kernel_pkg#linux-image-}
kconfig=$kdir/boot/config-$kver
[ -f "$kconfig" ] || { echo "build.sh: $kernel_pkg has no boot/config-$kver" >&2; exit 1; }

# --- the kernel ---------------------------------------------------------------------
cp -p "$kdir/boot/vmlinuz-$kver" "$out/vmlinuz"
# The bzImage carries the kernel ELF compressed; BOOT=pvh boots that ELF directly, as
# VMOS's image is booted (QEMU finds the PVH entry note, no decompressor runs).
if ! command -v lz4 >/dev/null; then
	echo "build.sh: no lz4 (Debian package lz4): no vmlinux, only run.sh BOOT=bzimage works" >&2
	rm -f "$out/vmlinux"
elif [ ! -s "$out/vmlinux" ] || [ "$out/vmlinux" -ot "$out/vmlinuz" ]; then
	grep -q '^CONFIG_KERNEL_LZ4=y' "$kconfig" ||
		{ echo "build.sh: the kernel is not LZ4-compressed; extend the vmlinux extraction" >&2; exit 1; }
	# The payload is in LZ4's legacy frame format (magic 02 21 4c 18); lz4 stops with an
	# error at the bzImage's trailing bytes after a complete stream.
	offset=$(LC_ALL=C grep -obUaP '\x02\x21\x4c\x18' "$out/vmlinuz" | head -n1 | cut -d: -f1)
	tail -c +$((offset + 1)) "$out/vmlinuz" | lz4 -dc >"$out/vmlinux.tmp" 2>/dev/null || true
	if [ "$(head -c 4 "$out/vmlinux.tmp" | od -An -tx1 | tr -d ' ')" != 7f454c46 ]; then
		echo "build.sh: could not extract vmlinux from the bzImage" >&2
		exit 1
	fi
	mv "$out/vmlinux.tmp" "$out/vmlinux"
fi

# --- the modules the network needs ---------------------------------------------------
# virtio-net under virtio-pci (machine pc) or virtio-mmio (microvm), with whatever they
# depend on, as the kernel has them: built in (=y, nothing to load) or modules (=m).
moddir=$kdir/lib/modules/$kver
declare -A modpath=()
while read -r f; do
	m=$(basename "$f" .ko)
	modpath[${m//-/_}]=$f
done < <(find "$moddir/kernel" -name '*.ko')
# deps MODULE - the module's own dependency list, from its .modinfo section.
deps() { tr '\0' '\n' <"${modpath[$1]}" | sed -n 's/^depends=//p' | tr ',' ' '; }
order=()
declare -A seen=()
# visit MODULE - append MODULE after its dependencies (depth first).
visit() {
	local m=$1 d
	[ -n "${seen[$m]:-}" ] && return
	seen[$m]=1
	[ -n "${modpath[$m]:-}" ] || { echo "build.sh: module $m not found in $kernel_pkg" >&2; exit 1; }
	for d in $(deps "$m"); do visit "$d"; done
	order+=("$m")
}
for m in virtio_pci virtio_mmio virtio_net; do
	option=CONFIG_$(tr '[:lower:]' '[:upper:]' <<<"$m")
	if grep -q "^$option=m" "$kconfig"; then
		visit "$m"
	elif ! grep -q "^$option=y" "$kconfig"; then
		echo "build.sh: $kernel_pkg has neither $option=y nor =m" >&2
		exit 1
	fi
done

# --- httpd, static, as VMOS builds it (body_rw.c) -------------------------------------
srcs=()
while read -r s; do
	[ -n "$s" ] && srcs+=("$repo/ports/httpd/$s")
done <"$repo/ports/httpd/sources"
srcs+=("$repo/ports/httpd/body_rw.c")
if [ ! -x "$out/httpd" ] || [ -n "$(find "$repo/ports/httpd" -name '*.[ch]' -newer "$out/httpd")" ]; then
	gcc -std=gnu11 -O2 -static -s -Wall -Wextra -Werror -o "$out/httpd" "${srcs[@]}"
fi

# --- the initramfs ---------------------------------------------------------------------
root=$out/root
rm -rf "$root"
mkdir -p "$root"/{bin,dev,proc,sys,etc,lib/modules,tmp}
cp "$out/pkgs/busybox-static/bin/busybox" "$root/bin/busybox"
for applet in sh mount ip insmod cat echo ls udhcpc; do
	ln -s busybox "$root/bin/$applet"
done
cp "$out/httpd" "$root/bin/httpd"
cp "$here/init" "$root/init"
cp "$here/udhcpc.script" "$root/etc/udhcpc.script"
chmod 755 "$root/init" "$root/etc/udhcpc.script"
: >"$root/lib/modules/order"
for m in "${order[@]}"; do
	cp "${modpath[$m]}" "$root/lib/modules/$m.ko"
	echo "$m" >>"$root/lib/modules/order"
done
bash "$here/mkwww.sh" "$root/www"
# The kernel opens /dev/console for init before anything is mounted; without the node
# (mknod needs root) init has no output until it mounts devtmpfs and reopens it.
mknod "$root/dev/console" c 5 1 2>/dev/null || true

if [ "$compress" = gzip ]; then
	(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -9n) \
		>"$out/initramfs.img"
else
	(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$out/initramfs.img"
fi

size() { stat -c %s "$1"; }
{
	echo "kernel: $kernel_pkg ${version[$kernel_pkg]}"
	echo "busybox-static: ${version[busybox-static]}"
	echo "modules in the initramfs: ${order[*]:-none}"
	echo "vmlinuz: $(size "$out/vmlinuz") bytes"
	[ -f "$out/vmlinux" ] && echo "vmlinux: $(size "$out/vmlinux") bytes"
	echo "initramfs.img ($compress): $(size "$out/initramfs.img") bytes"
	echo "httpd (static, stripped): $(size "$out/httpd") bytes"
} >"$out/build-info"
cat "$out/build-info"
