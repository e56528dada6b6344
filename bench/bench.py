#!/usr/bin/env python3
"""bench.py - make bench: VMOS's httpd image against the same server in a Linux guest and
as a native host process, under QEMU on this machine. Python 3 standard library only.

    bench/bench.py [--smoke] [--tap] [--runs N] [--wrk-seconds S] [--subjects vmos,linux,host]
                   [--backends user,tap]

Figures (docs/performance.md says how each is measured): QEMU exec to first HTTP 200, the
guest's boot milestones, the boot in guest instructions under -icount (TCG only), stripped
image size, memory floor (bisection over -m), QEMU's peak RSS, wrk requests/s and p50/p99
latency for a 611-byte page and a 64 KiB file with
keep-alive and with 'Connection: close', and the VMM floor (exec to exit of an image that
exits at its first instruction). Prints one table (min/median/max over the runs, ratios
against the Linux guest) and writes $BUILD/bench/results.json (results-smoke.json for
--smoke). Environment: BUILD (the build folder, build by default), ACCEL=tcg|kvm,
MACHINE=pc|microvm. Every run, probe and wait is bounded in time.

Network backends (--backends, both by default): user is QEMU's user networking with a
port forwarded from 127.0.0.1 (every figure); tap is a tap device inside a network
namespace the bench creates for the run (vmos-bench-PID) and deletes at its end, also on
an error, SIGINT or SIGTERM, with QEMU, wrk and the first-200 poll inside it: the "tap:"
rows (first 200 and the wrk cases) for both VMs, on the same machine type and memory. The
tap backend needs root, /dev/net/tun and iproute2's ip; without them its rows say why
(--tap: a SKIP line). Nothing outside loopback and that namespace is touched.
"""
import argparse
import json
import os
import subprocess
import signal
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from benchlib import (liveness, machine, memfloor, probe, qemu, stats, subjects,  # noqa: E402
                      table, tapnet, wrk)

REPO = os.path.dirname(HERE)
SMALL_PAGE = "/index.html"   # ports/httpd/www/index.html: 611 bytes
SMALL_SIZE = os.path.getsize(os.path.join(REPO, "ports", "httpd", "www", "index.html"))
BIG_FILE = "/64k.bin"        # 65536 bytes
BIG_SIZE = 65536

ICOUNT_UNIT = "guest instructions, -icount"
ICOUNT_FIGURES = ("icount_entry", "icount_entry_to_paging", "icount_main")
ICOUNT_TOLERANCE = 0.001  # boots under -icount (sleep=off) must agree to 0.1% (they agree exactly)

WRK_CASES = [  # key suffix, path, close, label
    ("small_ka", SMALL_PAGE, False, "%d B, keep-alive" % SMALL_SIZE),
    ("small_close", SMALL_PAGE, True, "%d B, Connection: close" % SMALL_SIZE),
    ("64k_ka", BIG_FILE, False, "64 KiB, keep-alive"),
    ("64k_close", BIG_FILE, True, "64 KiB, Connection: close"),
]
TAP = "_tap"  # the suffix of the tap backend's figure keys (first_200_ms_tap, rps_..._tap)
TAP_SUBJECTS = ("vmos", "linux")  # the VMs; the native server runs on loopback only


def wrk_figures(suffix, label, backend_suffix="", prefix=""):
    return [
        {"key": "rps_" + suffix + backend_suffix, "label": prefix + "wrk " + label,
         "unit": "req/s", "better": stats.HIGHER},
        {"key": "p50_" + suffix + backend_suffix, "label": "  p50 latency", "unit": "ms",
         "better": stats.LOWER},
        {"key": "p99_" + suffix + backend_suffix, "label": "  p99 latency", "unit": "ms",
         "better": stats.LOWER},
    ]


def tap_figure_list():
    """The tap backend's rows: first 200 and the wrk cases (keys ending in TAP)."""
    figs = [{"key": "first_200_ms" + TAP, "label": "tap: QEMU exec -> first HTTP 200",
             "unit": "ms", "better": stats.LOWER}]
    for suffix, _, _, label in WRK_CASES:
        figs += wrk_figures(suffix, label, TAP, "tap: ")
    return figs


def figure_list():
    figs = [
        {"key": "first_200_ms", "label": "QEMU exec -> first HTTP 200", "unit": "ms",
         "better": stats.LOWER},
        {"key": "boot_entry_ms", "label": "boot: kernel entry (since VM reset)", "unit": "ms",
         "better": stats.LOWER},
        {"key": "boot_main_ms", "label": "boot: the server's main() starts", "unit": "ms",
         "better": stats.LOWER},
        {"key": "icount_entry", "label": "boot to kernel entry", "unit": ICOUNT_UNIT,
         "better": stats.LOWER},
        {"key": "icount_entry_to_paging", "label": "  kernel entry -> paging on",
         "unit": ICOUNT_UNIT, "better": stats.LOWER},
        {"key": "icount_main", "label": "boot to main()", "unit": ICOUNT_UNIT,
         "better": stats.LOWER},
        {"key": "exit0_ms", "label": "QEMU exec -> exit, bare kernel (exit=0)", "unit": "ms",
         "better": stats.LOWER},
        {"key": "image_kib", "label": "stripped image size", "unit": "KiB",
         "better": stats.LOWER},
        {"key": "mem_floor_mib", "label": "memory floor (-m)", "unit": "MiB",
         "better": stats.LOWER},
        {"key": "peak_rss_mib", "label": "peak RSS: QEMU (native: the server)", "unit": "MiB",
         "better": stats.LOWER},
    ]
    for suffix, _, _, label in WRK_CASES:
        figs += wrk_figures(suffix, label)
    return figs + tap_figure_list()


def log(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


def write_if_changed(path, data):
    """Keeps the file (and its date) when the content is the same: make rebuilds the
    image's initrd only when the document root changed."""
    try:
        with open(path, "rb") as f:
            if f.read() == data:
                return
    except OSError:
        pass
    with open(path, "wb") as f:
        f.write(data)


def big_file():
    """65536 bytes: 4096 numbered 16-byte lines, as bench/linux-guest/mkwww.sh makes it
    (seq -f '%015g' 0 4095), so that every subject serves the same bytes."""
    return b"".join(b"%015d\n" % i for i in range(4096))


def make_docroot(docroot):
    """The document root every subject serves: ports/httpd/www (its index.html is the
    small page) plus 64k.bin; the same files as the Linux guest's (mkwww.sh)."""
    os.makedirs(docroot, exist_ok=True)
    www = os.path.join(REPO, "ports", "httpd", "www")
    for name in sorted(os.listdir(www)):
        src = os.path.join(www, name)
        if os.path.isfile(src):
            with open(src, "rb") as f:
                write_if_changed(os.path.join(docroot, name), f.read())
    write_if_changed(os.path.join(docroot, "64k.bin"), big_file())


def wrk_once(host, port, path, close, cfg):
    """One wrk run: liveness.wrk_outcome's dict. Bounded: duration + 20 s (then wrk is
    killed, by the subprocess module, through its pid)."""
    args = wrk.command("http://%s:%d%s" % (host, port, path), cfg.wrk_seconds,
                       cfg.connections, cfg.threads, close)
    limit = cfg.wrk_seconds + 20
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=limit)
    except subprocess.TimeoutExpired:
        return liveness.wrk_outcome("", hung_after_s=limit)
    except FileNotFoundError:
        return liveness.wrk_outcome("", error="wrk is not installed (tools/setup.sh installs "
                                    "it: make setup)")
    except OSError as e:
        return liveness.wrk_outcome("", error="wrk: %s" % e)
    return liveness.wrk_outcome(done.stdout, done.stderr)


def run_wrk(host, port, path, close, cfg):
    """One wrk run; (parsed figures, None) or (None, reason). Bounded: duration + 20 s."""
    outcome = wrk_once(host, port, path, close, cfg)
    if outcome["kind"] != "ok":
        return None, outcome["reason"]
    return outcome["result"], None


def run_phase(host, port, path, close, cfg):
    """One wrk phase with its witnesses (benchlib/liveness.py): wrk, a watcher GETting
    the small page every 0.5 s while wrk runs, and the follow-up GETs after it.
    {'wrk': wrk_once's outcome, 'watch': the watcher's summary, 'after': answers_after's
    dict (None when wrk could not be run at all)}."""
    watcher = liveness.Watcher(host, port, SMALL_PAGE, cfg.wrk_seconds + 20).start()
    try:
        outcome = wrk_once(host, port, path, close, cfg)
    finally:
        watch = watcher.stop()
    after = (liveness.answers_after(host, port, SMALL_PAGE) if outcome["kind"] != "error"
             else None)
    return {"wrk": outcome, "watch": watch, "after": after}


class Collector:
    """values[figure][subject] = list of per-run numbers; na[figure][subject] = reason;
    marks[figure][subject] = the footnotes of the runs a stop left out of that figure
    (liveness.stop_note); stops: one dict per stop (results.json's "stops")."""

    def __init__(self):
        self.values = {}
        self.na = {}
        self.marks = {}
        self.extra = {}
        self.stops = []

    def add(self, fig, subj, value):
        self.values.setdefault(fig, {}).setdefault(subj, []).append(value)

    def fail(self, fig, subj, reason):
        self.na.setdefault(fig, {}).setdefault(subj, reason)

    def mark(self, fig, subj, note):
        notes = self.marks.setdefault(fig, {}).setdefault(subj, [])
        if note not in notes:
            notes.append(note)

    def results(self, figures, subject_keys):
        """{figure: {subject: cell}}: a cell is stats.summarize's summary of the runs
        that gave a value (with 'notes': the stops that left runs out, if any), or
        {'na': reason} when none did: 'stopped': True and 'notes' when stops left out
        every run that would have given one."""
        out = {}
        for fig in figures:
            k = fig["key"]
            out[k] = {}
            for s in subject_keys:
                summary = stats.summarize(self.values.get(k, {}).get(s, []))
                notes = list(self.marks.get(k, {}).get(s, []))
                if summary is not None:
                    out[k][s] = dict(summary, notes=notes) if notes else summary
                elif notes:
                    out[k][s] = {"na": notes[0], "stopped": True, "notes": notes}
                else:
                    out[k][s] = {"na": self.na.get(k, {}).get(s, "not measured")}
        return out


def case_keys(suffix, backend_suffix=""):
    """The rps, p50 and p99 figure keys of one wrk case on one backend."""
    return [p + suffix + backend_suffix for p in ("rps_", "p50_", "p99_")]


def record_stop(col, subj, run, case_index, backend_suffix, verdict, phase, cfg, inst=None):
    """Records that subj stopped answering in run (1-based) at WRK_CASES[case_index]:
    the stop in col.stops (results.json's "stops"), and its footnote on the figures it
    leaves out: that case and the later ones in this run (measure_runs measures no
    more of this run; the next run boots a fresh instance). Returns the stop's dict."""
    backend = "tap" if backend_suffix == TAP else "user"
    suffix, _, _, label = WRK_CASES[case_index]
    title = subj.title
    line = liveness.stop_line(title, run, label, backend, verdict["seconds"],
                              cfg.wrk_seconds, verdict["answered_after"])
    note = liveness.stop_note(line, run)
    for later in WRK_CASES[case_index:]:
        for key in case_keys(later[0], backend_suffix):
            col.mark(key, subj.key, note)
    stop = {"subject": subj.key, "title": title, "run": run, "phase": label, "case": suffix,
            "backend": backend, "seconds": verdict["seconds"],
            "answered_after": verdict["answered_after"], "line": line, "note": note,
            "evidence": verdict["evidence"], "watch": phase["watch"], "after": phase["after"],
            "wrk": phase["wrk"]}
    if inst is not None:
        # alive(): the process runs (and, for VMOS, its console shows no PANIC)
        stop["alive"] = bool(inst.alive())
        stop["log_tail"] = inst.log_tail()
    col.stops.append(stop)
    log("%s%s run %d: stopped answering in phase %s: %s" % (
        title, " (tap)" if backend == "tap" else "", run, label, "; ".join(verdict["evidence"])))
    return stop


def measure_runs(subj, cfg, col, start=None, backend_suffix=""):
    """cfg.runs boots (or starts) of subj; each: first 200, milestones, wrk cases, RSS.
    start(mem_mib) and backend_suffix="_tap" (TAP): the runs on the tap backend (first
    200 and wrk only, into the figures whose keys end in TAP), with start returning the
    subject's instance on the tap."""
    k = subj.key
    tap = backend_suffix == TAP
    title = subj.title + (" (tap)" if tap else "")
    start = start or subj.start
    first = "first_200_ms" + backend_suffix
    for run in range(cfg.runs):
        try:
            inst = start(cfg.mem_mib)
        except subjects.Unavailable as e:
            col.fail(first, k, str(e))
            log("%s: %s" % (title, e))
            return
        try:
            ms = probe.wait_first_200(inst.port, inst.started, cfg.boot_limit_s, inst.alive,
                                      inst.ready, SMALL_PAGE, host=inst.host)
            if ms is None:
                reason = ("no HTTP 200 within %d s: %s" % (cfg.boot_limit_s, inst.log_tail())
                          if inst.alive() else
                          "no HTTP 200, the server stopped: %s" % inst.log_tail())
                col.fail(first, k, reason)
                log("%s run %d: %s" % (title, run + 1, reason))
                continue
            col.add(first, k, ms)
            ms_text = "%.0f ms" % ms
            miles = {} if tap else inst.milestones()  # the boot is the same on a tap
            if k == "vmos" and not tap:
                for name in ("entry", "main"):
                    if name in miles:
                        col.add("boot_%s_ms" % name, k, miles[name])
                    else:
                        col.fail("boot_%s_ms" % name, k, "no bootstats line (TSC frequency unknown?)")
            elif k == "linux" and not tap:
                col.fail("boot_entry_ms", k, "Linux's clocks start in the kernel, not at the VM reset")
                if "httpd" in miles:
                    col.add("boot_main_ms", k, miles["httpd"])
                else:
                    col.fail("boot_main_ms", k, "no 'linux-guest: httpd starts' line in the guest's log")
            status, size = probe.http_get(inst.port, SMALL_PAGE, timeout=10, host=inst.host)
            if status == 200 and size != SMALL_SIZE:
                col.extra.setdefault("warnings", []).append(
                    "%s serves %s with %d bytes, not %d" % (title, SMALL_PAGE, size, SMALL_SIZE))
            big_status, big_size = probe.http_get(inst.port, BIG_FILE, timeout=10,
                                                  host=inst.host)
            big_ok = big_status == 200 and big_size == BIG_SIZE
            stopped = None
            for n, (suffix, path, close, label) in enumerate(WRK_CASES):
                keys = case_keys(suffix, backend_suffix)
                if path == BIG_FILE and not big_ok:
                    reason = "%s not served (%s %s)" % (BIG_FILE, big_status, big_size)
                    for key in keys:
                        col.fail(key, k, reason)
                    continue
                phase = run_phase(inst.host, inst.port, path, close, cfg)
                outcome = phase["wrk"]
                verdict = (liveness.judge(outcome, phase["watch"], phase["after"])
                           if phase["after"] is not None else None)
                if verdict is not None:
                    stopped = record_stop(col, subj, run + 1, n, backend_suffix, verdict,
                                          phase, cfg, inst)
                    ms_text += ", %s: stopped answering" % suffix
                    break
                if outcome["kind"] != "ok" or liveness.got_nothing(outcome):
                    reason = outcome["reason"]
                    if outcome["kind"] != "error":
                        reason += " (the small page kept answering)"
                    for key in keys:
                        col.fail(key, k, reason)
                    log("%s run %d: wrk %s: %s" % (title, run + 1, label, reason))
                    continue
                result = outcome["result"]
                col.add(keys[0], k, result["requests_per_s"])
                col.add(keys[1], k, result["latency_ms"]["50"])
                col.add(keys[2], k, result["latency_ms"]["99"])
                col.extra.setdefault("wrk_raw", {}).setdefault(k, {}).setdefault(
                    suffix + backend_suffix, []).append(dict(result, watch=phase["watch"]))
                errs = sum(result["errors"].values()) + result["non_2xx_3xx"]
                if errs:
                    total = col.extra.setdefault("wrk_errors", {}).setdefault(
                        "%s, %s" % (title, label), {"runs": 0})
                    total["runs"] += 1
                    for name, value in list(result["errors"].items()) + [
                            ("non-2xx/3xx", result["non_2xx_3xx"])]:
                        if value:
                            total[name] = total.get(name, 0) + value
                ms_text += ", %s %.0f req/s%s" % (suffix, result["requests_per_s"],
                                                  " (%d errors)" % errs if errs else "")
            if stopped is not None:
                if not tap:
                    col.mark("peak_rss_mib", k, stopped["note"])
            elif not tap:
                rss = inst.peak_rss_mib()
                if rss is not None:
                    col.add("peak_rss_mib", k, rss)
                else:
                    col.fail("peak_rss_mib", k, "no /proc/PID/status")
            log("%s run %d: first 200 after %s" % (title, run + 1, ms_text))
        finally:
            inst.stop()


def tap_runs(tap, col, cfg, key, title, backend_suffix=""):
    """The TAP lines of measure_runs: a 200 in every run, every wrk case in every run."""
    got = col.values.get("first_200_ms" + backend_suffix, {}).get(key, [])
    tap(len(got) == cfg.runs, "bench: %s answers HTTP 200 in %d of %d runs"
        % (title, len(got), cfg.runs))
    wrk_got = sum(len(col.values.get("rps_" + c[0] + backend_suffix, {}).get(key, []))
                  for c in WRK_CASES)
    backend = "tap" if backend_suffix == TAP else "user"
    stops = [s["run"] for s in col.stops if s["subject"] == key and s["backend"] == backend]
    tap(wrk_got == cfg.runs * len(WRK_CASES), "bench: %s wrk results %d of %d%s"
        % (title, wrk_got, cfg.runs * len(WRK_CASES),
           " (stopped answering in run %s)" % ", ".join(map(str, stops)) if stops else ""))


def user_net_figures():
    """The figures measured on user networking only: all but the image size (no run) and
    the tap backend's rows. (The -icount and bare-kernel boots have no network to speak
    of, but they are part of the user-networking pass.)"""
    return [f["key"] for f in figure_list()
            if f["key"] != "image_kib" and not f["key"].endswith(TAP)]


def measure_tap_backend(prepared, cfg, col, tap):
    """The tap backend's rows for the VMs in prepared: a network namespace of this run's
    own (tapnet.Namespace), QEMU, wrk and the first-200 poll inside it, cfg.runs runs per
    VM (measure_runs with the subject's start_tap). The namespace is deleted at the end,
    also when a run raises or SIGINT/SIGTERM unwind the bench. Details (or the reason it
    did not run) go to results.json's details.tap_backend."""
    keys = [f["key"] for f in tap_figure_list()]
    details = col.extra.setdefault("tap_backend", {})
    for f in keys:
        col.fail(f, "host", "the native server runs on loopback: no tap backend")

    def fail_all(subject_keys, reason):
        for k in subject_keys:
            for f in keys:
                col.fail(f, k, reason)

    if "tap" not in cfg.backends:
        details["skipped"] = "not run (--backends)"
        fail_all(TAP_SUBJECTS, "not run (--backends)")
        return
    subjs = [prepared[k] for k in TAP_SUBJECTS if k in prepared]
    if not subjs:
        details["skipped"] = "no VM to run"
        return  # their rows already say why (not run, build failed)
    reason = tapnet.check()
    if reason:
        details["skipped"] = reason
        log("tap backend: skipped: %s" % reason)
        fail_all(TAP_SUBJECTS, "tap backend skipped: %s" % reason)
        tap(True, "bench: tap backend", skip=reason)
        return
    starts = {}
    for subj in subjs:
        if subj.key == "linux":
            # run.sh (user networking, in this namespace) only gives the command line.
            try:
                args = subj.qemu_args(cfg.mem_mib)
            except subjects.Unavailable as e:
                fail_all([subj.key], "run.sh's QEMU command line: %s" % e)
                log("Linux guest (tap): %s" % e)
                tap(False, "bench: Linux guest (tap): run.sh's QEMU command line read back")
                continue
            starts[subj.key] = lambda mem, ns, s=subj, a=args: s.start_tap(mem, ns, a)
        else:
            starts[subj.key] = lambda mem, ns, s=subj: s.start_tap(mem, ns)
    ns = tapnet.Namespace(os.getpid())
    details.update(namespace=ns.name, tap=ns.ifname,
                   host_side="%s/%d" % (ns.host_addr, tapnet.PREFIX_LEN),
                   guest="%s:%d" % (ns.guest_addr, ns.port), netdev=ns.netdev(),
                   ip_commands=ns.log)
    try:
        try:
            ns.create()
        except tapnet.Error as e:
            # No namespace at all: namespaces are not allowed here (a container without
            # CAP_SYS_ADMIN); later steps failing are errors.
            reason = "could not set up network namespace %s: %s" % (ns.name, e)
            log("tap backend: %s" % reason)
            fail_all(TAP_SUBJECTS, reason)
            details["skipped" if not ns.created else "failed"] = reason
            tap(not ns.created, "bench: tap backend: namespace %s set up" % ns.name,
                skip=reason if not ns.created else None)
            return
        log("tap backend: namespace %s, %s %s/%d inside it, guests at %s"
            % (ns.name, ns.ifname, ns.host_addr, tapnet.PREFIX_LEN, ns.guest_addr))
        with ns.entered():
            for subj in subjs:
                if subj.key not in starts:
                    continue
                measure_runs(subj, cfg, col,
                             start=lambda mem, k=subj.key: starts[k](mem, ns),
                             backend_suffix=TAP)
                tap_runs(tap, col, cfg, subj.key, subj.title + " (tap)", TAP)
    except tapnet.Error as e:
        log("tap backend: %s" % e)
        fail_all(TAP_SUBJECTS, "tap backend: %s" % e)
        details["failed"] = str(e)
        tap(False, "bench: tap backend: %s" % e)
    finally:
        gone = ns.delete()
        details["deleted"] = gone
        tap(gone, "bench: network namespace %s deleted" % ns.name)


def backends_line(cfg, details):
    """The table's footer line on the network backends."""
    user = ("rows without 'tap:': QEMU user networking, hostfwd from 127.0.0.1"
            if "user" in cfg.backends else "user networking not run (--backends)")
    if details.get("namespace") and "skipped" not in details:
        tap = ("'tap:' rows: %s in network namespace %s (%s there, guests %s), QEMU, wrk "
               "and the poll inside it; memory floor, RSS, boot and -icount rows: user "
               "networking only" % (details["tap"], details["namespace"],
                                    details["host_side"], details["guest"]))
    else:
        tap = "'tap:' rows not run: %s" % details.get("skipped", details.get("failed", "?"))
    return "backends: %s; %s\n" % (user, tap)


def measure_icount(subj, cfg, col):
    """VMOS's boot in guest instructions: boots under -icount shift=0 (at least two, to
    see that the counts repeat); each figure gets every boot's count. Returns the spread
    (subjects.count_spread) or None when no boot gave counts."""
    k = subj.key
    boots = []
    for n in range(max(2, cfg.runs)):
        try:
            text = subj.icount_boot(cfg.boot_limit_s, cfg.mem_mib)
        except subjects.Unavailable as e:
            for f in ICOUNT_FIGURES:
                col.fail(f, k, str(e))
            log("%s -icount boot %d: %s" % (subj.title, n + 1, e))
            break
        counts = subjects.icount_counts(subjects.parse_bootstats_tsc(text))
        if counts is None:
            for f in ICOUNT_FIGURES:
                col.fail(f, k, "no bootstats tsc values under -icount")
            break
        boots.append(counts)
        for name in ("entry", "entry_to_paging", "main"):
            col.add("icount_" + name, k, counts[name])
        col.extra.setdefault("icount", {}).setdefault("boots", []).append(
            dict(counts, us_x1000_over_count=subjects.us_per_count(text)))
        log("%s -icount boot %d: entry %d, entry->paging %d, main %d instructions"
            % (subj.title, n + 1, counts["entry"], counts["entry_to_paging"], counts["main"]))
    spread = subjects.count_spread(boots)
    if spread is not None:
        col.extra["icount"].update(qemu_args=qemu.ICOUNT_ARGS, **spread)
    return spread


def measure_floor(subj, cfg, col):
    k = subj.key
    if subj.floor_bounds is None:
        col.fail("mem_floor_mib", k, "not a VM: no -m to bisect")
        return
    lo, hi = subj.floor_bounds
    problems = []

    def up(mem):
        try:
            inst = subj.start(mem)
        except subjects.Unavailable as e:
            problems.append(str(e))
            raise
        try:
            ok = probe.wait_first_200(inst.port, inst.started, cfg.floor_limit_s, inst.alive,
                                      inst.ready, SMALL_PAGE) is not None
            log("%s memory floor: -m %d: %s" % (subj.title, mem, "answers" if ok else "no answer"))
            return ok
        finally:
            inst.stop()

    try:
        found = memfloor.find_floor(up, lo, hi, resolution=cfg.floor_resolution,
                                    max_probes=cfg.floor_max_probes)
    except subjects.Unavailable as e:
        col.fail("mem_floor_mib", k, str(e))
        return
    col.extra.setdefault("mem_floor", {})[k] = found
    if found["status"] in ("found", "always-up") and found["floor"] is not None:
        col.add("mem_floor_mib", k, found["floor"])
        if cfg.floor_resolution > 1:
            col.extra.setdefault("notes", []).append(
                "memory floor to within %d MiB (--smoke)" % cfg.floor_resolution)
    else:
        col.fail("mem_floor_mib", k, "bisection %s over %d-%d MiB" % (found["status"], lo, hi))


def vmm_floor(cfg, build_dir):
    """exec-to-exit of bench/vmm-floor/exit.asm (built with nasm); list of ms, or reason."""
    elf = os.path.join(build_dir, "exit.elf")
    src = os.path.join(HERE, "vmm-floor", "exit.asm")
    try:
        subprocess.run(["nasm", "-f", "bin", "-o", elf, src], check=True, timeout=60,
                       capture_output=True)
    except (OSError, subprocess.SubprocessError) as e:
        return None, "nasm: %s" % e
    times = []
    for _ in range(cfg.runs):
        ms, status = qemu.exec_to_exit_ms(elf, None, 16, cfg.accel, cfg.machine, 30)
        if ms is None or status != 1:
            return None, "the exit-at-once image did not exit with status 1: %s" % (status,)
        times.append(ms)
    return times, None


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--smoke", action="store_true",
                    help="1 run, 2 s wrk, coarse memory floor, no Linux guest (for make test)")
    ap.add_argument("--tap", action="store_true", help="TAP lines; the table as # comments")
    ap.add_argument("--runs", type=int)
    ap.add_argument("--wrk-seconds", type=int)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--mem", type=int, default=256, dest="mem_mib",
                    help="-m for the benchmark runs, MiB (both VMs)")
    ap.add_argument("--subjects")
    ap.add_argument("--backends", default="user,tap",
                    help="network backends: user (QEMU user networking), tap (a tap in a "
                    "network namespace of the run's own; needs root, /dev/net/tun, ip)")
    ap.add_argument("--build", default=os.environ.get("BUILD", "build"))
    cfg = ap.parse_args(argv)
    try:
        cfg.backends = tapnet.parse_backends(cfg.backends)
    except ValueError as e:
        ap.error("--backends: %s" % e)
    # SIGTERM unwinds like Ctrl-C, so that every finally stops its QEMU, server and wrk.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    cfg.accel = os.environ.get("ACCEL", "tcg")
    cfg.machine = os.environ.get("MACHINE", "pc")
    if cfg.accel not in ("tcg", "kvm") or cfg.machine not in ("pc", "microvm"):
        ap.error("ACCEL must be tcg or kvm, MACHINE pc or microvm")
    cfg.runs = cfg.runs or (1 if cfg.smoke else 5)
    cfg.wrk_seconds = cfg.wrk_seconds or (2 if cfg.smoke else 10)
    explicit = cfg.subjects is not None
    cfg.subjects = (cfg.subjects or ("vmos,host" if cfg.smoke else "vmos,linux,host")).split(",")
    slow = cfg.accel == "tcg"
    cfg.boot_limit_s = 60 if slow else 20
    cfg.floor_limit_s = 30 if slow else 10
    cfg.floor_resolution = 8 if cfg.smoke else 1
    cfg.floor_max_probes = 24

    build = os.path.abspath(cfg.build)
    out_dir = os.path.join(build, "bench")
    os.makedirs(out_dir, exist_ok=True)
    docroot = os.path.join(out_dir, "www")
    make_docroot(docroot)
    began = time.monotonic()

    classes = {"vmos": subjects.Vmos, "linux": subjects.LinuxGuest, "host": subjects.Host}
    columns = [("vmos", "VMOS"), ("linux", "Linux guest"), ("host", "native host")]
    prepared = {}  # key -> subject, for the tap backend's runs
    col = Collector()
    figures = figure_list()
    tap_lines = []

    def tap(ok, name, skip=None):
        n = len(tap_lines) + 1
        if skip:
            tap_lines.append("ok %d - %s # SKIP %s" % (n, name, skip))
        else:
            tap_lines.append("%s %d - %s" % ("ok" if ok else "not ok", n, name))
        if cfg.tap:
            print(tap_lines[-1], flush=True)

    for key, title in columns:
        if key not in cfg.subjects:
            reason = "not run in --smoke" if cfg.smoke and not explicit else "not run (--subjects)"
            for fig in figures:
                col.fail(fig["key"], key, reason)
            if key == "linux":
                tap(True, "bench: Linux guest column", skip=reason)
            continue
        subj = classes[key](REPO, build, docroot, cfg.accel, cfg.machine,
                            os.path.join(out_dir, key))
        t0 = time.monotonic()
        try:
            subj.prepare()
        except subjects.Unavailable as e:
            log("%s: %s" % (title, e))
            for fig in figures:
                col.fail(fig["key"], key, "%s: %s" % (title, e))
            tap(key == "linux", "bench: %s builds" % title,
                skip=str(e) if key == "linux" else None)
            continue
        log("%s: built in %.0f s" % (title, time.monotonic() - t0))
        tap(True, "bench: %s builds" % title)
        prepared[key] = subj
        try:
            size, paths = subj.image_size()
            col.add("image_kib", key, size)
            col.extra.setdefault("image_files", {})[key] = paths
        except (subjects.Unavailable, OSError) as e:
            col.fail("image_kib", key, str(e))
        if key == "host":
            for f in ("boot_entry_ms", "boot_main_ms") + ICOUNT_FIGURES:
                col.fail(f, key, "a process: no boot")
        elif key == "linux":
            for f in ICOUNT_FIGURES[:2]:
                col.fail(f, key, "Linux's clocks start in the kernel, not at the VM reset")
        if key != "vmos":
            col.fail("exit0_ms", key, "VMOS's kernel option only")
        user_net = "user" in cfg.backends
        if user_net:
            measure_runs(subj, cfg, col)
            tap_runs(tap, col, cfg, key, title)
        else:
            for f in user_net_figures():
                col.fail(f, key, "not run (--backends)")
        if key == "vmos" and user_net:
            got = col.values.get("boot_main_ms", {}).get(key, [])
            tap(len(got) == len(col.values.get("first_200_ms", {}).get(key, [])) and got,
                "bench: VMOS bootstats milestones parsed")
            if cfg.accel != "tcg":
                for f in ICOUNT_FIGURES:
                    col.fail(f, key, "icount needs TCG")
                tap(True, "bench: VMOS boot in guest instructions (-icount)",
                    skip="icount needs TCG")
            else:
                spread = measure_icount(subj, cfg, col)
                boots = len(col.values.get("icount_main", {}).get(key, []))
                tap(spread is not None and boots >= 2 and spread["relative"] <= ICOUNT_TOLERANCE,
                    "bench: VMOS boot in guest instructions (-icount): %d boots, %s"
                    % (boots, "no counts" if spread is None else
                       "identical" if not spread["relative"] else
                       "spread %.2g%%" % (100 * spread["relative"])))
            times = []
            for _ in range(cfg.runs):
                ms, reason = subj.exit0(30)
                if ms is None:
                    col.fail("exit0_ms", key, reason)
                    break
                times.append(ms)
                col.add("exit0_ms", key, ms)
        if key == "linux" and user_net:
            if cfg.accel != "tcg":
                col.fail("icount_main", key, "icount needs TCG")
            else:
                # Two boots (~12 s each under TCG): the figure and whether it repeats.
                for n in range(2):
                    try:
                        ns = subjects.linux_icount_boot(subj, 120, cfg.mem_mib,
                                                        os.path.join(out_dir, key, "icount"))
                    except subjects.Unavailable as e:
                        col.fail("icount_main", key, str(e))
                        log("%s -icount boot %d: %s" % (title, n + 1, e))
                        break
                    col.add("icount_main", key, ns)
                    log("%s -icount boot %d: httpd starts at %.0f virtual ns" % (title, n + 1, ns))
            got = col.values.get("icount_main", {}).get(key, [])
            tap(len(got) == 2 or cfg.accel != "tcg", "bench: Linux guest boot under -icount",
                skip="icount needs TCG" if cfg.accel != "tcg" else None)
        if not user_net:
            pass
        elif subj.floor_bounds is not None:
            measure_floor(subj, cfg, col)
            tap("mem_floor_mib" in col.values and key in col.values["mem_floor_mib"],
                "bench: %s memory floor by bisection" % title)
        else:
            measure_floor(subj, cfg, col)

    measure_tap_backend(prepared, cfg, col, tap)

    vmm, vmm_reason = vmm_floor(cfg, out_dir)
    vmm_summary = stats.summarize(vmm or [])
    tap(vmm_summary is not None, "bench: VMM floor (exit-at-once PVH image)")

    results = col.results(figures, [c[0] for c in columns])
    text = table.render(figures, results, columns, "linux", ratio_title="vs Linux")
    text += "VMM floor, QEMU exec -> exit of an image that exits at its first instruction: "
    text += ("%s ms\n" % table.format_summary(vmm_summary)) if vmm_summary else "n/a (%s)\n" % vmm_reason
    desc = machine.describe(cfg.accel, cfg.machine)
    text += ("%s runs, wrk %d s, %d connections, %d threads, -m %d MiB; %s, %d cores, "
             "accel %s, machine %s, %s\n" % (cfg.runs, cfg.wrk_seconds, cfg.connections,
                                             cfg.threads, cfg.mem_mib, desc["cpu_model"],
                                             desc["cores"], cfg.accel, cfg.machine,
                                             desc["qemu_version"]))
    text += backends_line(cfg, col.extra.get("tap_backend", {}))
    for w in col.extra.get("warnings", []) + sorted(set(col.extra.get("notes", []))):
        text += "note: %s\n" % w
    for case, total in sorted(col.extra.get("wrk_errors", {}).items()):
        counts = ", ".join("%d %s" % (v, "timeouts" if k == "timeout" else k + " errors")
                           if k != "non-2xx/3xx" else "%d non-2xx/3xx responses" % v
                           for k, v in total.items() if k != "runs")
        text += "note: wrk %s: %s (in %d of %d runs)\n" % (case, counts, total["runs"], cfg.runs)

    doc = {
        "machine": desc,
        "config": {"mode": "smoke" if cfg.smoke else "full", "runs": cfg.runs,
                   "wrk_seconds": cfg.wrk_seconds, "connections": cfg.connections,
                   "threads": cfg.threads, "mem_mib": cfg.mem_mib, "subjects": cfg.subjects,
                   "backends": cfg.backends,
                   "small_page": SMALL_PAGE, "small_size": SMALL_SIZE, "big_file": BIG_FILE,
                   "big_size": BIG_SIZE, "elapsed_s": round(time.monotonic() - began, 1)},
        "figures": [dict(f, backend="tap" if f["key"].endswith(TAP) else "user",
                         results=results[f["key"]],
                         ratio_vs_linux={s: stats.ratio(table.cell_value(results[f["key"]][s]),
                                                        table.cell_value(results[f["key"]]["linux"]))
                                         for s in ("vmos", "host")})
                    for f in figures],
        "vmm_floor_ms": vmm_summary or {"na": vmm_reason},
        "stops": [{k: s[k] for k in ("subject", "run", "phase", "backend", "seconds", "line",
                                     "case", "title", "answered_after", "evidence", "watch",
                                     "after", "alive", "log_tail", "wrk") if k in s}
                  for s in col.stops],
        "details": col.extra,
        "table": text,
    }
    path = os.path.join(out_dir, "results-smoke.json" if cfg.smoke else "results.json")
    with open(path + ".tmp", "w") as f:
        json.dump(doc, f, indent=1, sort_keys=False, default=str)
    os.replace(path + ".tmp", path)
    tap(True, "bench: results written to %s" % os.path.relpath(path, REPO))
    stop_lines = [s["line"] for s in col.stops]
    if cfg.tap:
        for line in text.splitlines():
            print("# " + line)
        # the stops last, as TAP lines of their own
        for line in stop_lines:
            tap(False, "bench: " + line)
        if not stop_lines:
            tap(True, "bench: every subject answered after every wrk phase")
    else:
        print(text, end="")
        print("results: %s" % path)
        failed = [l.split(" - ", 1)[-1] for l in tap_lines if l.startswith("not ok")]
        print_last(["failed: " + l for l in failed] + stop_lines)
    return liveness.exit_status(tap_lines, col.stops)


def print_last(lines):
    """The lines that end the output: on stdout, and on stderr too when that is another
    file (stdout redirected), so that they are the last lines of either."""
    if not lines:
        return
    text = "".join(l + "\n" for l in lines)
    sys.stdout.write(text)
    sys.stdout.flush()
    try:
        out, err = os.fstat(sys.stdout.fileno()), os.fstat(sys.stderr.fileno())
        same = (out.st_dev, out.st_ino, out.st_rdev) == (err.st_dev, err.st_ino, err.st_rdev)
    except (OSError, ValueError, AttributeError):
        same = True
    if not same:
        sys.stderr.write(text)
        sys.stderr.flush()


if __name__ == "__main__":
    sys.exit(main())
