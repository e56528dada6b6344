#!/usr/bin/env bash
# disk-smoke-tests.sh - bench/disk.py --smoke: every figure of the disk rows measured once
# in VMOS (diskbench's sequential write and read and 4 KiB random reads, speedtest1 with
# its database on the disk), each on a fresh ext4 disk image. TAP lines, the table as
# comments. BUILD as make's.
set -u
cd "$(dirname "$0")/../.." || exit 1
exec timeout 900 python3 bench/disk.py --smoke --tap --subjects vmos --build "${BUILD:-build}"
