#!/usr/bin/env bash
# build.sh OUT.elf - speedtest1, by ports/sqlite/build.sh from the same configured tree.
set -euo pipefail
exec bash "$(dirname "$0")/../sqlite/build.sh" --target speedtest1 "$1"
