#!/usr/bin/env bash
# mkwww.sh DIR - the benchmark's document root: a copy of ports/httpd/www plus 64k.bin,
# 65,536 deterministic bytes (4096 numbered 16-byte lines, the pattern of
# tests/httpd/http-tests.sh's generated files). check.sh rebuilds it to compare.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# = 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
mkdir -p "$1"
cp "$here/../../ports/httpd/www/"* "$1/"
seq -f '%015g' 0 4095 >"$1/64k.bin"
