#!/usr/bin/env bash
# smoke-tests.sh - bench/bench.py --smoke: every figure of make bench measured once
# (VMOS and the native host process; one boot, 2 s wrk runs, a coarse memory floor; VMOS
# once more on the tap backend in a network namespace of its own when this runs as root
# with /dev/net/tun and ip, a SKIP line otherwise), as TAP lines, the table as comments.
# Takes about a minute under TCG. BUILD as make's.
set -u
cd "$(dirname "$0")/../.." || exit 1
exec timeout 900 python3 bench/bench.py --smoke --tap --build "${BUILD:-build}"
