#!/usr/bin/env bash
# link-image.sh OUT.elf LD-ARGUMENTS... - link an image with its own symbol table in it
# (tools/mksymtab.sh; backtraces, dladdr and dlsym read it through kernel/symbols.h).
# The table's size moves what follows it, so the image is linked three times, as Linux
# links kallsyms: without a table, with the table of that link (right size, data addresses
# not yet final), and with the table of the second link, whose layout the third keeps.
# The third table must equal the second, or the link fails. Then tools/check-image.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$1
shift
LINK=(ld -static -pie --no-dynamic-linker --gc-sections -z noexecstack -z max-page-size=4096
	-z norelro --hash-style=gnu -T "$here/../kernel/kernel.ld")
work=$(mktemp -d "${TMPDIR:-/tmp}/vmos-link.XXXXXX")
trap 'rm -rf "$work"' EXIT

"${LINK[@]}" -o "$work/pass1.elf" "$@"
bash "$here/mksymtab.sh" "$work/pass1.elf" "$work/symtab1.s"
gcc -c "$work/symtab1.s" -o "$work/symtab1.o"
"${LINK[@]}" -o "$work/pass2.elf" "$@" "$work/symtab1.o"
bash "$here/mksymtab.sh" "$work/pass2.elf" "$work/symtab2.s"
gcc -c "$work/symtab2.s" -o "$work/symtab2.o"
"${LINK[@]}" -o "$work/pass3.elf" "$@" "$work/symtab2.o"
bash "$here/mksymtab.sh" "$work/pass3.elf" "$work/symtab3.s"
if ! cmp -s "$work/symtab2.s" "$work/symtab3.s"; then
	echo "link-image: $out: the symbol table did not settle after three links" >&2
	diff "$work/symtab2.s" "$work/symtab3.s" | head -n 5 >&2
	exit 1
fi
bash "$here/check-image.sh" "$work/pass3.elf"
mv "$work/pass3.elf" "$out"
