#!/usr/bin/env bash
# check.sh - build the Linux guest (build.sh), boot it RUNS times (run.sh) on a free
# 127.0.0.1 port, and for each boot: wait for the first HTTP 200 of / (curl every 20 ms,
# at most 120 s), report the time from QEMU's exec to that 200, check that / is
# ports/httpd/www/index.html byte for byte and /64k.bin the 64 KiB file mkwww.sh makes,
# then stop QEMU by its pid. Ends with min/median/max over the runs and exits non-zero
# if any run failed.
#
# Environment: RUNS (default 5), OUT (default ${BUILD:-build-bench}/linux-guest), and
# run.sh's MACHINE (pc|microvm), ACCEL, MEM, BOOT, NET, APPEND; COMPRESS for build.sh.
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${OUT:-$repo/${BUILD:-build-bench}/linux-guest}
runs=${RUNS:-5}
machine=${MACHINE:-pc}

qemu_pid=
work=$(mktemp -d)
# stop_qemu - kill QEMU by pid and wait (bounded) until it is gone.
stop_qemu() {
	[ -n "$qemu_pid" ] || return 0
	kill "$qemu_pid" 2>/dev/null
	for _ in $(seq 1 100); do
		kill -0 "$qemu_pid" 2>/dev/null || break
		sleep 0.05
	done
	kill -0 "$qemu_pid" 2>/dev/null && kill -KILL "$qemu_pid" 2>/dev/null
	qemu_pid=
}
cleanup() {
	stop_qemu
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! bash "$here/build.sh" "$out" >"$work/build.log" 2>&1; then
	echo "check: build failed:" >&2
	tail -n 20 "$work/build.log" >&2
	exit 1
fi
sed 's/^/# /' "$out/build-info"
bash "$here/mkwww.sh" "$work/www"
echo "# machine $machine, accel ${ACCEL:-tcg}, -m ${MEM:-256M}, boot ${BOOT:-bzimage}, net ${NET:-static}"
# Timings under TCG move with the host's load (other QEMUs, builds): say what it was.
echo "# host: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# boot_once - boot on a free port and wait for the first 200; sets qemu_pid, port,
# dir and first_ms, or returns 1 with the reason in $why.
boot_once() {
	local started code
	for _ in 1 2 3 4 5 6; do
		port=$((20000 + RANDOM % 40000))
		dir=$out/run-$port
		qemu_pid=$(bash "$here/run.sh" "$out" "$port" "$machine") || { why="run.sh failed"; return 1; }
		started=$(cat "$dir/started-ms")
		# Every 20 ms: is QEMU alive, has init printed its marker, does / answer 200?
		# No connect before the marker: QEMU's user networking would hold a connection
		# made before the guest's card is up until its SYN retransmission (about a second
		# later), which would measure slirp's timer instead of the guest.
		for _ in $(seq 1 6000); do
			if ! kill -0 "$qemu_pid" 2>/dev/null; then
				break
			fi
			if grep -aq 'httpd starts' "$dir/serial.log" 2>/dev/null; then
				code=$(curl -s --max-time 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/")
				if [ "$code" = 200 ]; then
					first_ms=$(($(date +%s%3N) - started))
					return 0
				fi
			fi
			[ $(($(date +%s%3N) - started)) -gt 120000 ] && break
			sleep 0.02
		done
		if kill -0 "$qemu_pid" 2>/dev/null; then
			why="no HTTP 200 within 120 s"
			return 1
		fi
		qemu_pid=
		# QEMU could not bind the port (taken): try another one; anything else is a failure.
		if ! grep -q "Could not set up host forwarding" "$dir/qemu.err"; then
			why="QEMU exited: $(tail -n 3 "$dir/qemu.err")"
			return 1
		fi
		rm -rf "$dir"
	done
	why="no free port"
	return 1
}

times=()
failed=0
for i in $(seq 1 "$runs"); do
	if ! boot_once; then
		echo "not ok $i - boot and first 200: $why"
		[ -n "${dir:-}" ] && [ -f "$dir/serial.log" ] && tail -n 5 "$dir/serial.log" | sed 's/^/#   /' && echo
		stop_qemu
		failed=$((failed + 1))
		continue
	fi
	problems=()
	curl -s --max-time 10 -o "$work/index.html" "http://127.0.0.1:$port/" ||
		problems+=("GET / failed")
	cmp -s "$work/index.html" "$work/www/index.html" ||
		problems+=("/ is not ports/httpd/www/index.html ($(stat -c %s "$work/index.html") bytes)")
	curl -s --max-time 20 -o "$work/64k.bin" "http://127.0.0.1:$port/64k.bin" ||
		problems+=("GET /64k.bin failed")
	cmp -s "$work/64k.bin" "$work/www/64k.bin" ||
		problems+=("/64k.bin differs ($(stat -c %s "$work/64k.bin") bytes)")
	marker=$(grep -a -m1 -o 'httpd starts [0-9.]* s after boot' "$dir/serial.log")
	stop_qemu
	if [ ${#problems[@]} = 0 ]; then
		times+=("$first_ms")
		echo "ok $i - first 200 ${first_ms} ms after QEMU exec (guest: ${marker:-no marker});" \
			"/ $(stat -c %s "$work/index.html") bytes and /64k.bin $(stat -c %s "$work/64k.bin") bytes match"
		rm -rf "$dir"
	else
		echo "not ok $i - first 200 ${first_ms} ms, but:"
		printf '#   %s\n' "${problems[@]}"
		failed=$((failed + 1))
	fi
done

if [ ${#times[@]} -gt 0 ]; then
	mapfile -t sorted < <(printf '%s\n' "${times[@]}" | sort -n)
	n=${#sorted[@]}
	if [ $((n % 2)) = 1 ]; then
		median=${sorted[$((n / 2))]}
	else
		median=$(((sorted[n / 2 - 1] + sorted[n / 2]) / 2))
	fi
	echo "first 200 after QEMU exec over $n runs: min ${sorted[0]} ms, median $median ms, max ${sorted[n - 1]} ms"
fi
echo "$((runs - failed)) passed, $failed failed"
[ $failed = 0 ]
