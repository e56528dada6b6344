#!/usr/bin/env bash
# build.sh OUT.elf - redis-server, unmodified, from Debian's source package by Redis's own
# Makefile (`make -C src redis-server`) with CC=vmos-cc. Redis's make builds its deps/
# (hiredis, linenoise, Lua, hdr_histogram, fpconv) with the same compiler. Turned off:
# jemalloc (MALLOC=libc: newlib's allocator; Debian links its packaged jemalloc), TLS
# (BUILD_TLS=no: no OpenSSL build for VMOS yet) and systemd notification (USE_SYSTEMD=no).
# The image gets Debian's redis.conf at /etc/redis/redis.conf and the port's overrides
# at /etc/redis/vmos.conf, which includes it.
set -euo pipefail
out=$(realpath -m "$1")
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=ports/redis/version
. "$here/version"
work=$(dirname "$out")/redis
bash "$here/../../tools/debian-source.sh" redis "$REDIS_VERSION" "$work/src"
log=$work/build.log
# The folders Debian's package creates, which its redis.conf names (dir /var/lib/redis).
mkdir -p "$work/empty"
VMOS_FILES="$work/src/redis.conf:/etc/redis/redis.conf $here/vmos.conf:/etc/redis/vmos.conf"
VMOS_FILES+=" $work/empty:/var/lib/redis $work/empty:/var/log/redis $work/empty:/run/redis"
export VMOS_FILES
# GIT_CEILING_DIRECTORIES: Redis's release.h takes a git commit from the tree it is in,
# which here is the build folder inside VMOS's own clone; as in Debian's build, it is none.
if ! GIT_CEILING_DIRECTORIES=$work make -C "$work/src/src" -j2 redis-server CC="$VMOS_CC" MALLOC=libc BUILD_TLS=no \
	USE_SYSTEMD=no >"$log" 2>&1; then
	echo "redis: the build failed; the end of $log:" >&2
	tail -n 30 "$log" >&2
	exit 1
fi
cp "$work/src/src/redis-server" "$out"
