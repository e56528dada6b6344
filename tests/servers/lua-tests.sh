#!/usr/bin/env bash
# lua-tests.sh - the Lua port (ports/lua) against the same Lua built for the host from
# the same Debian source: ports/lua/scripts/stdlib.lua prints what the standard libraries
# do, and the image's output must equal the host's line for line. Also: a script's exit
# status and an error's message and status, as lua gives them.
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/boot/lib.sh
. tests/boot/lib.sh
work=$BUILD/servers/lua
mkdir -p "$work"

# The image, by the port's own build.
if ! make --no-print-directory -s BUILD="$BUILD" PORT=lua image >"$work/image-build.log" 2>&1; then
	fail "make PORT=lua image failed: $(tail -n 20 "$work/image-build.log")"
fi
finish "lua: the port builds from Debian's lua5.4 source with upstream's make linux and vmos-cc"

# The host's Lua: the same source and build, with the host's gcc.
if ! { bash ports/lua/source.sh "$work/host-src" &&
	make -C "$work/host-src/src" linux ALL=lua; } >"$work/host-build.log" 2>&1; then
	fail "the host build failed: $(tail -n 20 "$work/host-build.log")"
fi
finish "lua: the same source builds for the host"

# The script runs as lua/stdlib.lua from / in the image and from a copy on the host, so
# that the chunk names in error messages agree.
rm -rf "$work/host-run" && mkdir -p "$work/host-run/lua"
cp ports/lua/scripts/stdlib.lua "$work/host-run/lua/"
(cd "$work/host-run" && env -i PATH=/usr/bin:/bin "$(realpath ../host-src/src/lua)" lua/stdlib.lua) \
	>"$work/host.out" 2>&1
ELF=$BUILD/lua.elf boot "lua-stdlib" pvh 32M max "-- lua/stdlib.lua" "${DEBUG_EXIT[@]}"
expect_rc 1 "exit status 0"
program_output "$LOG" >"$work/vmos.out"
if ! grep -qx done "$work/host.out"; then
	fail "the host's run did not finish: $(tail -n 5 "$work/host.out")"
elif ! diff -u "$work/host.out" "$work/vmos.out" >"$work/stdlib.diff"; then
	fail "the image's output differs from the host's: $(head -c 1500 "$work/stdlib.diff")"
fi
finish "lua: stdlib.lua prints the same in the image as on the host ($(wc -l <"$work/host.out") lines)"

# An error ends lua with status 1 and its message on stderr, as on Linux.
ELF=$BUILD/lua.elf boot "lua-error" pvh 32M max "-- -e \"error('boom')\"" "${DEBUG_EXIT[@]}"
expect_rc 3 "exit status 1"
expect_line "^lua: \(command line\):1: boom$"
expect_line "^stack traceback:$"
finish "lua: an uncaught error prints lua's message and traceback, exit status 1"

ELF=$BUILD/lua.elf boot "lua-exit" pvh 32M max "-- -e os.exit(7)" "${DEBUG_EXIT[@]}"
expect_rc 15 "exit status 7"
finish "lua: os.exit(7) ends the VM with status 7"
