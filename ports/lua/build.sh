#!/usr/bin/env bash
# build.sh OUT.elf - the Lua 5.4 interpreter, unmodified, built by upstream's own
# `make linux` (LUA_USE_LINUX: LUA_USE_POSIX and LUA_USE_DLOPEN) with CC=vmos-cc; the
# scripts in ports/lua/scripts go into the image at /lua.
set -euo pipefail
out=$(realpath -m "$1")
here=$(cd "$(dirname "$0")" && pwd)
work=$(dirname "$out")/lua
bash "$here/source.sh" "$work/src"
log=$work/build.log
export VMOS_FILES="$here/scripts:/lua"
if ! make -C "$work/src/src" linux CC="$VMOS_CC" ALL=lua >"$log" 2>&1; then
	echo "lua: the build failed; the end of $log:" >&2
	tail -n 30 "$log" >&2
	exit 1
fi
cp "$work/src/src/lua" "$out"
