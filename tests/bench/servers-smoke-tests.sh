#!/usr/bin/env bash
# servers-smoke-tests.sh - bench/servers.py --smoke: every figure of the ported servers'
# bench measured once in VMOS (nginx, redis, memcached, speedtest1: image size, first
# answer, one short run of each load; no memory floors), on a tap device in a network
# namespace of the bench's own when this runs as root with /dev/net/tun and ip, user
# networking otherwise. TAP lines, the table as comments. BUILD as make's.
set -u
cd "$(dirname "$0")/../.." || exit 1
exec timeout 900 python3 bench/servers.py --smoke --tap --subjects vmos --build "${BUILD:-build}"
