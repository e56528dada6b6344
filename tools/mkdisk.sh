#!/usr/bin/env bash
# mkdisk.sh OUT SIZE [DIR] - a data disk for VMOS: a raw image file of SIZE (mkfs's size
# syntax: 64M, 2G...) holding an ext4 file system made by Debian's mke2fs (e2fsprogs)
# with its default ext4 features and 4 KiB blocks, filled from DIR when given (mke2fs -d: files,
# directories, symbolic links, owners and modes as they are in DIR). The file is sparse.
# Boot with it: make run DISK=OUT, and mount it in the image with mount=/dev/vda:/data.
set -euo pipefail
[ $# -ge 2 ] && [ $# -le 3 ] || { echo "usage: $0 OUT SIZE [DIR]" >&2; exit 2; }
out=$1 size=$2 dir=${3:-}
mkfs=$(command -v mkfs.ext4 || echo /usr/sbin/mkfs.ext4)
[ -x "$mkfs" ] || { echo "mkdisk: no mkfs.ext4 (Debian package e2fsprogs)" >&2; exit 1; }
if [ -n "$dir" ] && [ ! -d "$dir" ]; then
	echo "mkdisk: $dir is not a folder" >&2
	exit 2
fi
mkdir -p "$(dirname "$out")"
rm -f "$out"
: >"$out" # mke2fs says "Creating regular file" otherwise
# -E root_owner: the root directory belongs to root, not to whoever runs this; the files
# from DIR keep their owners only when this runs as root (mke2fs -d copies them).
# -b 4096 also for small disks (mke2fs would take 1024-byte blocks below 512 MiB): a
# quarter of the requests for the same data.
args=(-q -F -t ext4 -b 4096 -L vmos-data -E root_owner=0:0)
[ -n "$dir" ] && args+=(-d "$dir")
if ! "$mkfs" "${args[@]}" "$out" "$size"; then
	rm -f "$out"
	exit 1
fi
echo "mkdisk: $out: ext4, $size${dir:+, from $dir}"
