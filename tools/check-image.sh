#!/usr/bin/env bash
# check-image.sh IMAGE.elf - refuse an image the loaders cannot relocate: every dynamic
# relocation must be R_X86_64_RELATIVE, and the PVH note must be present.
set -euo pipefail
elf=$1
bad=$(readelf -W -r "$elf" | awk '/^[0-9a-f]+ / && $3 != "R_X86_64_RELATIVE" {print $3}' | sort -u)
if [ -n "$bad" ]; then
	echo "check-image: $elf has relocations the loaders cannot apply: $bad" >&2
	echo "check-image: (build with -fPIE -fvisibility=hidden; avoid absolute 32-bit addresses)" >&2
	exit 1
fi
if ! readelf -W -n "$elf" | grep -q 'Xen.*0x00000012'; then
	echo "check-image: $elf has no PVH entry note (XEN_ELFNOTE_PHYS32_ENTRY)" >&2
	exit 1
fi
