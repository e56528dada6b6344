#!/usr/bin/env python3
"""soak.py - make soak: the bench image (build/httpd-bench.elf) under a mixed load for a long
time, on each network backend at the same time; fails on a stall, a crash or memory that
keeps falling. Python 3 standard library only.

    bench/soak.py [--minutes M] [--backends user,tap] [--build build] [--mem 256]
                  [--report-every S] [--connections N] [--abort-every S] [--no-build]

Per backend (one thread each, all at once): one VM booted as make bench boots it, with the
kernel command line netstats=10 bootstats ip=10.0.2.15/24,10.0.2.2 -- -p 80 -r /www -c 512 -q;
user: QEMU user networking, hostfwd from a free 127.0.0.1 port; tap: a tap device in a
network namespace of this run's own (vmos-soak-PID, deleted at the end, also on an error,
SIGINT or SIGTERM), QEMU and the clients inside it (the thread enters it with setns).
The load (bench/benchlib/soakload.py) and the verdict rules (bench/benchlib/soaklib.py)
are described in docs/performance.md, "make soak". Progress every --report-every s on
stderr; the report on stdout and in $BUILD/soak/report.json; the last line is the overall
PASS/FAIL, and the exit status is 0 only when it is PASS.
"""
import argparse
import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from benchlib import machine, probe, qemu, soaklib, soakload, tapnet  # noqa: E402

REPO = os.path.dirname(HERE)
NETSTATS_S = 10
SERVER_ARGS = "-p 80 -r /www -c 512 -q"
BOOT_LIMIT_S = 60
GIVE_UP_S = 120        # no response at all for this long: that backend's load ends early
NS_PREFIX = "vmos-soak-"


def append_line(netstats_s):
    return "netstats=%d bootstats %s -- %s" % (netstats_s, tapnet.vmos_ip_option(), SERVER_ARGS)


def log(msg):
    print("soak: " + msg, file=sys.stderr, flush=True)


def big_file():
    """bench.py's 64k.bin (imported there: one definition of the bytes every subject
    serves)."""
    import bench
    return bench.big_file()


def prepare(cfg):
    """The document root (bench.make_docroot) and, unless --no-build, the bench image
    (make, incremental). Returns (kernel path, {path: bytes}); raises RuntimeError."""
    import bench
    docroot = os.path.join(cfg.build, "bench", "www")
    bench.make_docroot(docroot)
    kernel = os.path.join(cfg.build, "httpd-bench.elf")
    if not cfg.no_build or not os.path.exists(kernel):
        logf = os.path.join(cfg.out, "build.log")
        with open(logf, "wb") as f:
            try:
                done = subprocess.run(
                    ["make", "--no-print-directory", "-s", "BUILD=" + cfg.build,
                     "PORT=bench/httpd-bench", "BENCH_DOCROOT=" + docroot, "image"],
                    cwd=REPO, stdin=subprocess.DEVNULL, stdout=f, stderr=subprocess.STDOUT,
                    timeout=1200)
            except subprocess.TimeoutExpired:
                raise RuntimeError("make PORT=bench/httpd-bench image took over 20 min")
        if done.returncode != 0:
            raise RuntimeError("make PORT=bench/httpd-bench image failed (%s): %s" % (
                logf, qemu.read_text(logf).strip()[-300:]))
    files = {}
    for name in ("index.html", "64k.bin"):
        with open(os.path.join(docroot, name), "rb") as f:
            files["/" + name] = f.read()
    if files["/64k.bin"] != big_file():
        raise RuntimeError("%s/64k.bin is not bench.big_file()'s bytes" % docroot)
    return kernel, files


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class Console:
    """The console log read as it grows, into a soaklib.ConsoleWatcher."""

    def __init__(self, path):
        self.path = path
        self.offset = 0
        self.watch = soaklib.ConsoleWatcher()

    def poll(self, t):
        try:
            with open(self.path, "rb") as f:
                f.seek(self.offset)
                data = f.read(1 << 20)
        except OSError:
            return
        self.offset += len(data)
        self.watch.feed(data.decode("utf-8", "replace"), t)


def run_backend(name, cfg, kernel, files, stop_all, res):
    """One backend from the boot to the stopped VM; fills res (soaklib.verdict reads it).
    Never raises: an unexpected error becomes res['setup_error']."""
    res.update(backend=name, ran=False,
               title="QEMU user networking, hostfwd from 127.0.0.1" if name == "user" else
               "tap device in a network namespace of the run's own")
    ns = None
    try:
        if name == "tap":
            reason = tapnet.check()
            if reason:
                res["skipped"] = reason
                return
            ns = tapnet.Namespace(os.getpid())
            ns.name = NS_PREFIX + str(os.getpid())
            res["namespace"] = {"name": ns.name, "ip_commands": ns.log}
            try:
                ns.create()
            except tapnet.Error as e:
                if not ns.created:
                    res["skipped"] = "could not create network namespace %s: %s" % (ns.name, e)
                else:
                    res["setup_error"] = "network namespace %s: %s" % (ns.name, e)
                return
            with ns.entered():
                res["netns"] = os.readlink("/proc/thread-self/ns/net")
                boot_and_load(name, cfg, kernel, files, stop_all, res, ns)
        else:
            boot_and_load(name, cfg, kernel, files, stop_all, res, None)
    except BaseException as e:  # noqa: BLE001 - reported, never lost in a thread
        res["setup_error"] = "%s: %s" % (type(e).__name__, e)
    finally:
        if ns is not None:
            gone = ns.delete()
            res["namespace"]["deleted"] = gone
            if not gone:
                res["setup_error"] = "network namespace %s not deleted" % ns.name


def boot_and_load(name, cfg, kernel, files, stop_all, res, ns):
    workdir = os.path.join(cfg.out, name)
    append = append_line(cfg.netstats)
    res["append"] = append
    try:
        vm = qemu.start(kernel, append, cfg.mem, workdir, cfg.accel, cfg.machine, tap=ns)
    except RuntimeError as e:
        res["setup_error"] = str(e)
        return
    res["where"] = ("http://%s:%d/ (QEMU pid %d, console %s)"
                    % (vm.host, vm.port, vm.pid, os.path.relpath(vm.serial, REPO)))
    if ns is not None:
        res["where"] += ", in namespace %s (%s/%d there)" % (ns.name, ns.host_addr,
                                                              tapnet.PREFIX_LEN)
    log("%s: QEMU pid %d, %s:%d" % (name, vm.pid, vm.host, vm.port))
    console = Console(vm.serial)
    origin = None
    try:
        def ready():
            text = vm.serial_text()
            return "httpd: serving" in text and "\nnet: en" in text

        ms = probe.wait_first_200(vm.port, vm.started, BOOT_LIMIT_S, vm.alive, ready,
                                  "/index.html", host=vm.host)
        if ms is None:
            res["boot"] = {"ok": False, "reason": "%s: %s" % (
                "QEMU exited" if not vm.alive() else "none within %d s" % BOOT_LIMIT_S,
                " | ".join(qemu.read_text(vm.serial).strip().splitlines()[-5:]))}
            return
        res["boot"] = {"ok": True, "first_200_ms": round(ms, 1)}
        for path, want in files.items():
            st, size = probe.http_get(vm.port, path, timeout=10, host=vm.host)
            if st != 200 or size != len(want):
                res["setup_error"] = ("%s answers %s with %s, %s bytes (%d expected): an "
                                      "image from another document root?"
                                      % (vm.host, path, st, size, len(want)))
                return
        origin = time.monotonic()
        qemu_cpu0 = cpu_seconds(vm.pid)
        res["ran"] = True
        res["started_at"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        state = {"next_report": origin + cfg.report_every, "crash": None}

        def on_tick(load):
            now = time.monotonic()
            t = now - origin
            console.poll(t)
            w = console.watch
            if stop_all.is_set():
                load.stop("interrupted")
            if not vm.alive() and state["crash"] is None:
                state["crash"] = {"what": "QEMU exited with status %s" % vm.proc.returncode,
                                  "at_s": round(t, 1)}
                load.stop("QEMU exited")
            if w.fatal and state["crash"] is None:
                f = [x for x in w.failures if x["word"] in soaklib.FATAL_WORDS][0]
                state["crash"] = {"what": "console: %s" % f["line"], "at_s": f["at_s"]}
                load.stop("the guest panicked")
            if load.gaps.current(now) > cfg.give_up:
                load.stop("no response for %d s" % cfg.give_up)
            if now >= state["next_report"]:
                state["next_report"] += cfg.report_every
                progress(name, load, w, t)

        load = soakload.Load(vm.host, vm.port, files, origin, origin + cfg.minutes * 60,
                             cfg.connections, cfg.abort_every, on_tick=on_tick,
                             seed=1 + soaklib_seed(name))
        overflows0 = listen_overflows()
        load.run()
        end_t = time.monotonic() - origin
        overflows1 = listen_overflows()
        qemu_cpu1 = cpu_seconds(vm.pid)
        console.poll(end_t)
        alive = vm.alive()
        if not alive and state["crash"] is None:
            state["crash"] = {"what": "QEMU exited with status %s" % vm.proc.returncode,
                              "at_s": round(end_t, 1)}
        res.update(load.summary())
        if overflows0 is not None and overflows1 is not None:
            res["probe"]["host_listen_overflows"] = overflows1 - overflows0
        res["load_s"] = round(min(end_t, (load.ended or time.monotonic()) - origin), 1)
        if load.stopped:
            res["stopped_early"] = load.stopped
            if load.stopped == "interrupted":
                res["interrupted"] = "SIGINT/SIGTERM at %.1f s" % end_t
        res["crash"] = state["crash"]
        wall = (load.ended or time.monotonic()) - origin
        res["cpu"] = {"client": round(load.cpu_s / wall, 3) if load.cpu_s and wall > 0 else None,
                      "qemu": round((qemu_cpu1 - qemu_cpu0) / end_t, 3)
                      if qemu_cpu0 is not None and qemu_cpu1 is not None and end_t > 0
                      else None}
        if alive:
            # The silence still open when the load ended counts too.
            silence = console.watch.silence(end_t)
            if silence is not None and silence > console.watch.longest_silence_s:
                console.watch.longest_silence_s = silence
                console.watch.longest_silence_at_s = console.watch.last_sample_s
    finally:
        res["qemu_exit_status"] = vm.stop()
        t = time.monotonic() - (origin if origin is not None else vm.started)
        console.poll(t)
        console.watch.flush(t)
        finish_netstats(res, console.watch, cfg)


def listen_overflows():
    """TcpExt ListenOverflows of this thread's network namespace (SYNs this host's kernel
    dropped for a full listen queue: with user networking, QEMU's hostfwd socket, which
    libslirp listens on with a backlog of 1); None when unreadable."""
    try:
        with open("/proc/thread-self/net/netstat") as f:
            return soaklib.netstat_counter(f.read(), "TcpExt", "ListenOverflows")
    except OSError:
        return None


def cpu_seconds(pid):
    """utime + stime of a process (all its threads), seconds; None when gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(") ", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def soaklib_seed(name):
    """A fixed seed per backend (the dropped connections' read lengths repeat)."""
    return tapnet.BACKENDS.index(name)


def finish_netstats(res, w, cfg):
    samples = w.samples
    ns = {"lines": len(samples), "interval_s": cfg.netstats,
          "longest_silence_s": round(w.longest_silence_s, 1),
          "longest_silence_from_s": w.longest_silence_at_s,
          "silence_over_limit": bool(samples) and
          w.longest_silence_s > soaklib.NETSTATS_SILENCE * cfg.netstats,
          "counters": soaklib.counters(samples), "samples": samples}
    free = soaklib.series_of(samples, "free_kib")
    if free:
        ns["free_kib"] = {"start": free[0][1], "min": min(v for _, v in free),
                          "end": free[-1][1],
                          "per_minute": soaklib.per_minute(free)}
        res["memory"] = soaklib.memory_trend(free)
    else:
        res["memory"] = {"verdict": "n/a", "reason": "no netstats lines" if not samples
                         else "no free_kib in the netstats lines"}
    res["netstats"] = ns
    res["console_failures"] = w.failures
    res["console_tail"] = w.tail(30)
    for s in (res.get("gaps") or {}).get("stalls", []):
        s["netstats"] = [soaklib.format_sample(x) for x in soaklib.samples_near(
            samples, s["start_s"], s["end_s"], cfg.netstats)]


def progress(name, load, w, t):
    ok = sum(load.ok.values())
    errs = sum(sum(b.values()) for b in load.errors.values())
    last = w.samples[-1] if w.samples else {}
    log("%s %s: %d ok (%.0f/s), %d errors, %d dropped, longest gap %.2f s, %d stalls, "
        "netstats %d%s" % (name, time.strftime("%M:%S", time.gmtime(t)), ok,
                            ok / t if t > 0 else 0, errs, sum(load.aborts.values()),
                            load.gaps.longest, load.gaps.stall_count, len(w.samples),
                            ", free_kib %d" % last["free_kib"] if "free_kib" in last else ""))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=60.0, help="load time per backend")
    ap.add_argument("--backends", default="user,tap",
                    help="user (QEMU user networking), tap (needs root); both run at once")
    ap.add_argument("--build", default=os.environ.get("BUILD", "build"))
    ap.add_argument("--mem", type=int, default=256, help="-m for the VMs, MiB")
    ap.add_argument("--report-every", type=float, default=60.0,
                    help="seconds between progress lines (stderr)")
    ap.add_argument("--connections", type=int, default=20,
                    help="steady client connections per backend (plus the prober and the "
                    "dropped connections)")
    ap.add_argument("--abort-every", type=float, default=5.0,
                    help="seconds between connections dropped mid-response")
    ap.add_argument("--netstats", type=int, default=NETSTATS_S,
                    help="the guest's netstats= interval, seconds")
    ap.add_argument("--give-up", type=float, default=GIVE_UP_S,
                    help="end a backend's load after this long without any response")
    ap.add_argument("--no-build", action="store_true",
                    help="use the existing image (built only when missing)")
    cfg = ap.parse_args(argv)
    try:
        cfg.backends = tapnet.parse_backends(cfg.backends)
    except ValueError as e:
        ap.error("--backends: %s" % e)
    if cfg.minutes <= 0 or cfg.minutes > 24 * 60:
        ap.error("--minutes: more than 0, at most 1440")
    if not 4 <= cfg.connections <= 256:
        ap.error("--connections: 4 to 256")
    if cfg.netstats < 1 or cfg.abort_every <= 0 or cfg.report_every <= 0:
        ap.error("--netstats, --abort-every and --report-every must be positive")
    cfg.accel = os.environ.get("ACCEL", "tcg")
    cfg.machine = os.environ.get("MACHINE", "pc")
    if cfg.accel not in ("tcg", "kvm") or cfg.machine not in ("pc", "microvm"):
        ap.error("ACCEL must be tcg or kvm, MACHINE pc or microvm")
    # SIGTERM unwinds like Ctrl-C: the threads stop their load, QEMU and namespace.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    cfg.build = os.path.abspath(cfg.build)
    cfg.out = os.path.join(cfg.build, "soak")
    os.makedirs(cfg.out, exist_ok=True)
    began = time.monotonic()
    doc = {"machine": machine.describe(cfg.accel, cfg.machine),
           "config": {"minutes": cfg.minutes, "backends": cfg.backends, "mem_mib": cfg.mem,
                      "connections": cfg.connections, "clients": soakload.mix(cfg.connections),
                      "abort_every_s": cfg.abort_every, "netstats_s": cfg.netstats,
                      "stall_s": soaklib.STALL_S, "give_up_s": cfg.give_up,
                      "append": append_line(cfg.netstats)}}
    results = []
    try:
        kernel, files = prepare(cfg)
    except (RuntimeError, OSError) as e:
        log(str(e))
        results = [{"backend": b, "setup_error": str(e), "ran": False} for b in cfg.backends]
        kernel = None
    if kernel:
        doc["image"] = {"path": kernel, "sha256": sha256_of(kernel),
                        "mtime": time.strftime("%Y-%m-%dT%H:%M:%S",
                                               time.localtime(os.path.getmtime(kernel)))}
        log("%s (sha256 %s...), %s, %g min, backends %s" % (
            os.path.relpath(kernel, REPO), doc["image"]["sha256"][:12],
            doc["config"]["append"], cfg.minutes, ",".join(cfg.backends)))
        stop_all = threading.Event()
        results = [{"backend": b} for b in cfg.backends]
        ended = [threading.Event() for _ in results]

        def backend(r, e):
            try:
                run_backend(r["backend"], cfg, kernel, files, stop_all, r)
            finally:
                e.set()

        threads = [threading.Thread(target=backend, name="soak-" + r["backend"], args=(r, e))
                   for r, e in zip(results, ended)]
        for t in threads:
            t.start()
        # The main thread sleeps, and joins only once every backend has ended: in Python
        # 3.11 an exception from a signal handler inside Thread.join() marks the running
        # thread as stopped (bpo-45274's fix releases its lock), and the interpreter then
        # exits without it: QEMU and the namespace were left behind.
        try:
            while not all(e.is_set() for e in ended):
                time.sleep(0.5)
        except (KeyboardInterrupt, SystemExit) as e:
            stop_all.set()
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, lambda signum, frame: log("stopping already"))
            log("stopping: the loads end, QEMU stops, the namespace goes")
            for ev in ended:
                ev.wait(180)
            for t in threads:
                t.join(5)
            for r in results:
                r.setdefault("interrupted", "SIGINT" if isinstance(e, KeyboardInterrupt)
                             else "SIGTERM")
            write_report(doc, results, cfg, began)
            return 130 if isinstance(e, KeyboardInterrupt) else 143
        for t in threads:
            t.join(5)
    return write_report(doc, results, cfg, began)


def write_report(doc, results, cfg, began):
    word, words = soaklib.overall(results)
    for r in results:
        r["verdict"], r["reasons"] = soaklib.verdict(r)
    doc["backends"] = results
    doc["elapsed_s"] = round(time.monotonic() - began, 1)
    doc["verdict"] = word
    lines = []
    for r in results:
        lines += soaklib.render(r) + [""]
    path = os.path.join(cfg.out, "report.json")
    lines.append("report: %s" % path)
    lines.append("soak: %s (%s)" % (word, ", ".join("%s %s" % w for w in words)))
    doc["text"] = "\n".join(lines) + "\n"
    with open(path + ".tmp", "w") as f:
        json.dump(doc, f, indent=1, default=str)
    os.replace(path + ".tmp", path)
    print(doc["text"], end="", flush=True)
    return 0 if word == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
