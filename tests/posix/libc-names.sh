#!/usr/bin/env bash
# libc-names.sh - every C-library name that Debian's server binaries import
# (tests/posix/libc-names.txt) is defined by what an image links: the kit's archives,
# newlib's libc.a and libm.a, and libgcc; except those listed in libc-missing.txt, which
# must still be missing (so that the list stays true). Prints TAP lines, one per name
# that is wrong and one summary line.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
if ! make --no-print-directory -s BUILD="$BUILD" kit >"$BUILD/libc-names-kit.log" 2>&1; then
	echo "not ok 1 - libc names: make kit failed: $(tail -n 3 "$BUILD/libc-names-kit.log")"
	exit 1
fi
kit=$BUILD/kit
newlib=$(sed -n 's/^NEWLIB_LIBS=(\([^ ]*\)\/libc.a.*/\1/p' "$kit/bin/vmos-cc")
defined=$(nm --defined-only "$kit"/*.a "$newlib/libc.a" "$newlib/libm.a" \
	"$(gcc -print-libgcc-file-name)" 2>/dev/null | awk 'NF == 3 && $2 ~ /[TWDBRVi]/ {print $3}' |
	sort -u)
names=$(grep -v '^#' tests/posix/libc-names.txt | awk '{print $1}')
missing_listed=$(grep -v '^#' tests/posix/libc-missing.txt | awk 'NF {print $1}')
n=0
bad=0
total=0
have=0
for name in $names; do
	total=$((total + 1))
	if grep -qxF "$name" <<<"$defined"; then
		have=$((have + 1))
		if grep -qxF "$name" <<<"$missing_listed"; then
			n=$((n + 1))
			bad=1
			echo "not ok $n - libc names: $name is provided now: take it out of tests/posix/libc-missing.txt"
		fi
	elif ! grep -qxF "$name" <<<"$missing_listed"; then
		n=$((n + 1))
		bad=1
		echo "not ok $n - libc names: $name is missing from the image's libraries (it was provided)"
	fi
done
n=$((n + 1))
if [ $bad = 0 ]; then
	echo "ok $n - libc names: $have of $total provided, the other $((total - have)) listed in libc-missing.txt"
else
	echo "not ok $n - libc names: $have of $total provided"
fi
