#!/usr/bin/env bash
# run-all.sh - run every test tier and end with one line "N passed, N failed".
#   1. host unit tests (cmocka, TAP output), built by tests/unit/unit.mk
#   2. boot tests under QEMU (tests/boot/*-tests.sh, TAP output), the ported servers
#      against their clients (tests/servers/*-tests.sh), and the other suites below
# Exits non-zero when anything failed.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
passed=0
failed=0
skipped=0

# count_tap NAME - echo TAP output from stdin, add its ok / not ok lines to the totals.
# A runner that produced no result line, or that exited non-zero (a crash, say) without
# reporting a failure, counts as one more failure.
count_tap() {
	local name=$1 seen=0 bad=0 status=0 line
	while IFS= read -r line; do
		echo "$line"
		case "$line" in
		"not ok "*"# SKIP"* | "ok "*"# SKIP"*) skipped=$((skipped + 1)); seen=1 ;;
		"ok "*) passed=$((passed + 1)); seen=1 ;;
		"not ok "*) failed=$((failed + 1)); seen=1; bad=1 ;;
		"# exit status "*) status=${line#\# exit status } ;;
		esac
	done
	if [ $seen = 0 ] || { [ "$status" != 0 ] && [ $bad = 0 ]; }; then
		echo "not ok - $name produced no results or exited with status $status"
		failed=$((failed + 1))
	fi
}

echo "# source format (.clang-format)"
unformatted=$(git ls-files '*.c' '*.h' | while read -r f; do
	clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || echo "$f"
done)
if [ -z "$unformatted" ]; then
	echo "ok - sources match .clang-format"
	passed=$((passed + 1))
else
	echo "not ok - sources differ from .clang-format (run make format): $unformatted"
	failed=$((failed + 1))
fi

echo "# host unit tests"
for t in "$BUILD"/unit/test_*; do
	[ -x "$t" ] || continue
	echo "# $t"
	count_tap "$t" < <(CMOCKA_MESSAGE_OUTPUT=TAP "$t" 2>&1; echo "# exit status $?")
done

for suite in tests/boot/*-tests.sh tests/servers/*-tests.sh tests/posix/differential.sh tests/posix/libc-names.sh tests/httpd/host-tests.sh tests/httpd/image-tests.sh \
	tests/httpd/tap-tests.sh tests/httpd/load-tests.sh \
	tests/bench/bench-tests.sh tests/bench/smoke-tests.sh tests/bench/servers-smoke-tests.sh \
	tests/bench/disk-smoke-tests.sh; do
	echo "# $suite"
	count_tap "$suite" < <(bash "$suite" 2>&1; echo "# exit status $?")
done

if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
