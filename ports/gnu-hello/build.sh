#!/usr/bin/env bash
# build.sh OUT.elf - GNU hello, unmodified, from Debian's source package, configured and
# built with the VMOS compiler wrapper like any autotools cross build.
set -euo pipefail
out=$(realpath -m "$1")
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=ports/gnu-hello/version
. "$here/version"
work=$(dirname "$out")/gnu-hello
bash "$here/../../tools/debian-source.sh" hello "$HELLO_VERSION" "$work/src"
cd "$work/src"
log=$work/build.log
if ! { ./configure CC="$VMOS_CC" --host=x86_64-elf --disable-nls && make -j2; } >"$log" 2>&1; then
	echo "gnu-hello: the build failed; the end of $log:" >&2
	tail -n 30 "$log" >&2
	exit 1
fi
cp hello "$out"
