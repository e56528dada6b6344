#!/usr/bin/env bash
# sqlite-tests.sh - the SQLite ports (ports/sqlite, ports/speedtest1) against the same
# programs built for the host from the same Debian source and options: the sqlite3 shell
# runs ports/sqlite/sql/demo.sql on a database file and the image's output must equal the
# host's; speedtest1 runs its tests in the same order, and exits 0.
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/boot/lib.sh
. tests/boot/lib.sh
work=$BUILD/servers/sqlite
mkdir -p "$work"

for port in sqlite speedtest1; do
	if ! make --no-print-directory -s BUILD="$BUILD" PORT=$port image >"$work/$port-image.log" 2>&1; then
		fail "make PORT=$port image failed: $(tail -n 20 "$work/$port-image.log")"
	fi
	finish "sqlite: the $port port builds from Debian's sqlite3 source with SQLite's configure and vmos-cc"
done

# The host's programs: the same source, configure and options, with the host's gcc.
# shellcheck source=ports/sqlite/version
. ports/sqlite/version
host=$work/host-src
# shellcheck disable=SC2086
if ! { bash tools/debian-source.sh sqlite3 "$SQLITE_VERSION" "$host" &&
	(cd "$host" && ./configure "${SQLITE_FEATURES[@]}" CFLAGS="-O1 $(echo $SQLITE_OPTIONS)") &&
	make -C "$host" -j2 sqlite3 speedtest1; } >"$work/host-build.log" 2>&1; then
	fail "the host build failed: $(tail -n 20 "$work/host-build.log")"
fi
finish "sqlite: the same source builds for the host"

rm -rf "$work/host-run" && mkdir -p "$work/host-run"
shell=$(realpath "$host/sqlite3")
script=$(realpath ports/sqlite/sql/demo.sql)
# The console turns each line end into CR LF, and the serial log is read without CRs:
# the host's CSV lines (which end in CR LF) are compared without them too.
(cd "$work/host-run" && "$shell" demo.db ".read $script") >"$work/host.raw" 2>&1
host_rc=$?
tr -d '\r' <"$work/host.raw" >"$work/host.out"
ELF=$BUILD/sqlite.elf boot "sqlite-demo" pvh 64M max "-- /tmp/demo.db '.read /sqlite/demo.sql'" \
	"${DEBUG_EXIT[@]}"
# The script's deliberate constraint errors make the shell exit 1, on both.
expect_rc $((host_rc * 2 + 1)) "the host's exit status, $host_rc"
program_output "$LOG" >"$work/vmos.out"
if ! grep -q "^3\.40\.1" "$work/host.out"; then
	fail "the host's run did not finish: $(tail -n 5 "$work/host.out")"
elif ! diff -u "$work/host.out" "$work/vmos.out" >"$work/demo.diff"; then
	fail "the image's output differs from the host's: $(head -c 1500 "$work/demo.diff")"
fi
finish "sqlite: demo.sql on a database file prints the same in the image as on the host ($(wc -l <"$work/host.out") lines)"

# speedtest1 at a small size: the same tests, in the same order, as on the host.
"$host/speedtest1" --size 5 "$work/host-run/speedtest1.db" >"$work/speedtest1-host.out" 2>&1
ELF=$BUILD/speedtest1.elf boot "speedtest1" pvh 128M max "-- --size 5 /tmp/speedtest1.db" \
	"${DEBUG_EXIT[@]}"
expect_rc 1 "exit status 0"
tests_of() { grep -Eo '^ *[0-9]+ - [^.]+' "$1" | sed 's/ *$//'; }
program_output "$LOG" >"$work/speedtest1-vmos.out"
if [ "$(tests_of "$work/speedtest1-host.out" | wc -l)" -lt 20 ]; then
	fail "the host's speedtest1 ran too few tests: $(tail -n 5 "$work/speedtest1-host.out")"
elif ! diff -u <(tests_of "$work/speedtest1-host.out") <(tests_of "$work/speedtest1-vmos.out") \
	>"$work/speedtest1.diff"; then
	fail "the image ran other tests than the host: $(head -c 1500 "$work/speedtest1.diff")"
fi
expect_line "TOTAL"
finish "sqlite: speedtest1 --size 5 runs all of its tests in the image"
