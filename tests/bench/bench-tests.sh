#!/usr/bin/env bash
# bench-tests.sh - unit tests of bench/benchlib's pure pieces (statistics, ratios and their
# direction, the table, wrk's output parser on real samples, the memory-floor bisection
# with fake predicates, the tap backend's pure helpers and rows). Prints TAP lines; no VM,
# no network. Python 3 standard library.
set -u
cd "$(dirname "$0")/../.." || exit 1
timeout 120 python3 tests/bench/test_bench.py; status=$?
timeout 60 python3 tests/bench/test_soak.py || status=1  # make soak's pure pieces
timeout 60 python3 tests/bench/test_servers.py || status=1 # bench/servers.py's pure pieces
timeout 60 python3 tests/bench/test_disk.py || status=1    # bench/disk.py's pure pieces
exit $status
