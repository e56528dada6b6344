"""benchlib - the pieces of bench/bench.py (make bench).

Pure logic, unit-tested by tests/bench/bench-tests.sh: stats (summaries, ratios and their
direction), table (the printed table), wrk (wrk's --latency output), memfloor (the memory
floor bisection over any predicate), tapnet's helpers, and liveness (whether a subject
stopped answering in a wrk phase: the verdict, the stop line, the exit status; its
watcher thread and follow-up GETs). The rest drives processes:
probe (HTTP probes and the first 200), qemu (QEMU launches with hostfwd or on a tap),
tapnet (the tap backend's network namespace), subjects (VMOS, the Linux guest, the native
host process), machine (the machine description).
"""
