"""soaklib.py - the pure pieces of bench/soak.py (make soak), unit-tested by
tests/bench/test_soak.py: the guest's netstats lines, the console's failure lines, the
longest time without a response (and the stalls), the memory-trend rule, the verdict and
the printed report. No process, socket or file here.

The guest's kernel option netstats=SECONDS prints one console line every SECONDS:

    netstats: t_ms=120034 rx_posted=128 ... free_kib=250000

(space-separated key=value pairs, integer values). Every key is recorded; the verdicts
use only t_ms (the guest's clock) and free_kib (its free memory).
"""
import math
import re

STALL_S = 1.0             # a gap without any response longer than this is a stall
NETSTATS_SILENCE = 3      # netstats lines missing for more than this many intervals: fail
WARMUP_FRACTION = 0.10    # memory rule: the first 10% of the series is left out of the fit
MAX_LOSS_FRACTION = 0.05  # memory rule: projected loss over the run > 5% of the first value
MIN_FIT_SAMPLES = 6       # memory rule: fewer samples after the warm-up give no verdict
MAX_STALLS_KEPT = 200     # stalls listed in the report (all are counted)

# Console lines that mean the guest is in trouble (quoted in the report). "stalled" is the
# driver's word for a receive or transmit path that stopped; the rest end the guest.
FAILURE_WORDS = ("stalled", "panic", "PANIC", "stack overflow")
FATAL_WORDS = ("panic", "PANIC", "stack overflow")

_PAIR = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=(-?\d+)\Z")

# Error kinds of a request, in the report's order.
ERROR_KINDS = ("refused", "connect_timeout", "timeout", "reset", "closed", "short_body",
               "bad_status", "bad_body", "other")
# Errors that mean the server answered wrongly: they fail the soak (the others are counted).
WRONG_ANSWER_KINDS = ("bad_status", "bad_body")


def parse_netstats(line):
    """The key=value pairs of a console line holding 'netstats: ' (bytes before it on the
    line, such as a stray escape, are ignored) as a dict of ints; None when the line has
    no 'netstats: ' or not one well-formed pair after it. Malformed words are skipped,
    and their count is under the key '_malformed' when there are any."""
    at = line.find("netstats: ")
    if at < 0:
        return None
    out = {}
    bad = 0
    for word in line[at + len("netstats: "):].split():
        m = _PAIR.match(word)
        if m:
            out[m.group(1)] = int(m.group(2))
        else:
            bad += 1
    if not out:
        return None
    if bad:
        out["_malformed"] = bad
    return out


def failure_word(line):
    """The first of FAILURE_WORDS in a console line (not in a netstats line), or None."""
    if "netstats: " in line:
        return None
    for w in FAILURE_WORDS:
        if w in line:
            return w
    return None


class ConsoleWatcher:
    """Feeds on the console log's text as it grows (feed(text, t): the new bytes and the
    host time they were read at, seconds since the load's start). Keeps: samples (each a
    dict of the netstats pairs plus 'host_s'), failures (console lines with a failure
    word: {'at_s', 'word', 'line'}), fatal (True once a panic or stack overflow was seen),
    the last lines of the console (tail()), and the longest host-time silence between
    netstats lines (silence(t) for the one still open)."""

    def __init__(self, tail_lines=40):
        self.partial = ""
        self.samples = []
        self.failures = []
        self.fatal = False
        self.lines = []
        self.tail_lines = tail_lines
        self.longest_silence_s = 0.0
        self.longest_silence_at_s = None
        self.last_sample_s = None

    def feed(self, text, t):
        if not text:
            return
        text = self.partial + text
        parts = text.split("\n")
        self.partial = parts.pop()
        for raw in parts:
            self._line(raw.rstrip("\r"), t)

    def flush(self, t):
        """The last line even without its newline (at the end of the run)."""
        if self.partial:
            line, self.partial = self.partial, ""
            self._line(line.rstrip("\r"), t)

    def _line(self, line, t):
        self.lines.append(line)
        if len(self.lines) > self.tail_lines:
            del self.lines[0]
        pairs = parse_netstats(line)
        if pairs is not None:
            if self.last_sample_s is not None:
                gap = t - self.last_sample_s
                if gap > self.longest_silence_s:
                    self.longest_silence_s = gap
                    self.longest_silence_at_s = self.last_sample_s
            self.last_sample_s = t
            pairs["host_s"] = round(t, 3)
            self.samples.append(pairs)
            return
        w = failure_word(line)
        if w is not None:
            if len(self.failures) < 50:
                self.failures.append({"at_s": round(t, 3), "word": w, "line": line.strip()})
            if w in FATAL_WORDS:
                self.fatal = True

    def silence(self, t):
        """Seconds since the last netstats line (None before the first)."""
        if self.last_sample_s is None:
            return None
        return t - self.last_sample_s

    def tail(self, n=20):
        return [l for l in self.lines if l.strip()][-n:]


class GapTracker:
    """The longest time without a completed response, over every client of one backend.
    add(t) for each response completed at t (seconds, one clock, in order); the tracker
    starts at origin as if a response completed then (the first 200 before the load).
    Every gap over threshold is a stall: {'start_s', 'end_s', 'duration_s', 'open'}
    (times relative to origin; 'open': still without a response at the end of the run)."""

    def __init__(self, origin, threshold=STALL_S, keep=MAX_STALLS_KEPT):
        self.origin = origin
        self.last = origin
        self.threshold = threshold
        self.keep = keep
        self.longest = 0.0
        self.longest_start = origin
        self.stalls = []
        self.stall_count = 0
        self.responses = 0
        self.finished = False

    def add(self, t):
        if t < self.last:  # an earlier completion reported late: no gap to close
            self.responses += 1
            return
        self._gap(self.last, t, False)
        self.last = t
        self.responses += 1

    def _gap(self, start, end, still_open):
        gap = end - start
        if gap > self.longest:
            self.longest = gap
            self.longest_start = start
        if gap > self.threshold:
            self.stall_count += 1
            if len(self.stalls) < self.keep:
                self.stalls.append({"start_s": round(start - self.origin, 3),
                                    "end_s": round(end - self.origin, 3),
                                    "duration_s": round(gap, 3), "open": still_open})

    def current(self, now):
        """The gap still open at now (seconds since the last response)."""
        return now - self.last

    def finish(self, end):
        """Closes the run at end: the time since the last response counts as a gap too."""
        if not self.finished and end >= self.last:
            self._gap(self.last, end, True)
        self.finished = True

    def summary(self):
        return {"longest_s": round(self.longest, 3),
                "longest_at_s": round(self.longest_start - self.origin, 3),
                "stall_count": self.stall_count, "stalls": list(self.stalls),
                "threshold_s": self.threshold}


def overlap(start, end, intervals):
    """Seconds of [start, end] covered by intervals [(a, b)...] (not overlapping each
    other, as the client's pauses are)."""
    return sum(max(0.0, min(end, b) - max(start, a)) for a, b in intervals)


def discount_pauses(gaps, pauses, threshold=None):
    """A GapTracker summary with each stall's 'client_pause_s' (how long the soak's own
    client was frozen during it: its event loop woke that late, from host load) and
    'server_s' (the gap without those pauses). A stall counts against the server
    ('server_stall_count') when server_s is over the threshold; the others are listed as
    client pauses. Stalls beyond the kept list count against the server."""
    threshold = gaps.get("threshold_s", STALL_S) if threshold is None else threshold
    out = dict(gaps)
    kept = []
    client = 0
    for s in gaps.get("stalls", []):
        s = dict(s)
        p = overlap(s["start_s"], s["end_s"], pauses)
        s["client_pause_s"] = round(p, 3)
        s["server_s"] = round(s["duration_s"] - p, 3)
        s["counted"] = s["server_s"] > threshold
        client += not s["counted"]
        kept.append(s)
    out["stalls"] = kept
    out["client_pause_stalls"] = client
    out["server_stall_count"] = gaps.get("stall_count", 0) - client
    return out


def samples_near(samples, start_s, end_s, margin_s):
    """The netstats samples (dicts with host_s) seen from margin_s before start_s to
    margin_s after end_s, and always the last one before and the first one after."""
    before = [s for s in samples if s["host_s"] < start_s - margin_s]
    after = [s for s in samples if s["host_s"] > end_s + margin_s]
    inside = [s for s in samples if start_s - margin_s <= s["host_s"] <= end_s + margin_s]
    return before[-1:] + inside + after[:1]


def format_sample(s):
    """A netstats sample as its console line (host time first)."""
    pairs = " ".join("%s=%d" % (k, v) for k, v in s.items() if k not in ("host_s",))
    return "[%.1f s] netstats: %s" % (s.get("host_s", 0.0), pairs)


def least_squares_slope(points):
    """The slope of the least-squares line through points [(x, y)...]; None for fewer than
    two distinct x."""
    n = len(points)
    if n < 2:
        return None
    mx = sum(p[0] for p in points) / n
    my = sum(p[1] for p in points) / n
    sxx = sum((p[0] - mx) ** 2 for p in points)
    if sxx == 0:
        return None
    return sum((p[0] - mx) * (p[1] - my) for p in points) / sxx


def memory_trend(series, warmup=WARMUP_FRACTION, max_loss=MAX_LOSS_FRACTION,
                 min_samples=MIN_FIT_SAMPLES):
    """The memory rule over series, [(t_s, free_kib)...] in time order (the whole run).

    falling, when both hold:
      A. after the warm-up (the first `warmup` of the series' time span), the
         least-squares slope of free_kib over time, times the whole span, is a loss
         larger than max_loss of the first sample's value (the projected loss over the
         run), and
      B. the minimum in the last third of the span is below the minimum in the second
         third (memory still going down at the end, not a step early on that stayed).
    Returns {'verdict': 'ok'|'falling'|'n/a', 'reason', and the figures}. 'n/a' (no
    verdict, not a failure) when there are fewer than min_samples samples after the
    warm-up or a third is empty."""
    pts = [(float(t), float(v)) for t, v in series]
    out = {"verdict": "n/a", "samples": len(pts), "warmup_fraction": warmup,
           "max_loss_fraction": max_loss}
    if len(pts) < 2:
        out["reason"] = "%d free_kib samples" % len(pts)
        return out
    t0, t1 = pts[0][0], pts[-1][0]
    span = t1 - t0
    initial = pts[0][1]
    out.update(initial_kib=initial, span_s=round(span, 1))
    fit = [p for p in pts if p[0] >= t0 + warmup * span]
    out["fit_samples"] = len(fit)
    if len(fit) < min_samples or span <= 0:
        out["reason"] = ("%d samples after the warm-up (at least %d needed)"
                         % (len(fit), min_samples))
        return out
    slope = least_squares_slope(fit)
    if slope is None:
        out["reason"] = "no time span after the warm-up"
        return out
    loss = -slope * span
    limit = max_loss * initial
    second = [v for t, v in pts if t0 + span / 3 <= t < t0 + 2 * span / 3]
    last = [v for t, v in pts if t >= t0 + 2 * span / 3]
    out.update(slope_kib_per_h=round(slope * 3600, 1), projected_loss_kib=round(loss, 1),
               limit_kib=round(limit, 1),
               projected_loss_fraction=round(loss / initial, 4) if initial else None)
    if not second or not last:
        out["reason"] = "a third of the run has no sample"
        return out
    out.update(min_second_third_kib=min(second), min_last_third_kib=min(last))
    a = loss > limit
    b = min(last) < min(second)
    out["projected_loss_over_limit"] = a
    out["last_third_below_second"] = b
    if a and b:
        out["verdict"] = "falling"
        out["reason"] = ("free memory keeps falling: %.0f KiB/h, %.0f KiB projected over "
                         "the run (limit %.0f = %.0f%% of %.0f), last third's minimum %.0f "
                         "below the second third's %.0f"
                         % (-slope * 3600, loss, limit, 100 * max_loss, initial, min(last),
                            min(second)))
    else:
        out["verdict"] = "ok"
        out["reason"] = ("projected loss %.0f KiB %s the limit %.0f; last third's minimum "
                         "%.0f %s the second third's %.0f"
                         % (loss, "over" if a else "within", limit, min(last),
                            "below" if b else "not below", min(second)))
    return out


def series_of(samples, key, time_key="t_ms"):
    """[(t_s, value)] of one netstats key: the guest's t_ms when every sample that has the
    key has it (its own clock, no polling jitter), the host time otherwise."""
    have = [s for s in samples if key in s]
    if have and all(time_key in s for s in have):
        return [(s[time_key] / 1000.0, s[key]) for s in have]
    return [(s["host_s"], s[key]) for s in have]


def counters(samples):
    """{key: {'first','last','min','max'}} over every netstats key (host_s excluded)."""
    out = {}
    for s in samples:
        for k, v in s.items():
            if k == "host_s":
                continue
            c = out.get(k)
            if c is None:
                out[k] = {"first": v, "last": v, "min": v, "max": v}
            else:
                c["last"] = v
                c["min"] = min(c["min"], v)
                c["max"] = max(c["max"], v)
    return out


def per_minute(series, origin=None):
    """[(minute, value)]: the last value of series [(t_s, v)] in each minute since origin
    (the first sample's time by default)."""
    if not series:
        return []
    origin = series[0][0] if origin is None else origin
    out = {}
    for t, v in series:
        out[int((t - origin) // 60)] = v
    return sorted(out.items())


def probe_connect_line(probe):
    """The prober's connect() share of its latency: a connect of a second or more is a SYN
    the host's kernel dropped and resent after its 1 s timeout, which the guest never saw."""
    line = "prober connect(): p99 %.3f s, max %.3f s, %d of %d took 1 s or more" % (
        probe["connect_p99_s"], probe["connect_max_s"], probe.get("connects_over_1s", 0),
        probe.get("n", 0))
    if probe.get("host_listen_overflows") is not None:
        line += " (host TcpExt ListenOverflows +%d during the load" % probe["host_listen_overflows"]
        line += ("; QEMU user networking's hostfwd socket listens with a backlog of 1, so "
                 "the host drops SYNs that arrive together: a cost of the backend, not the "
                 "guest)" if probe["host_listen_overflows"] else ")")
    return line


def netstat_counter(text, group, name):
    """One counter of /proc/net/netstat's text (pairs of lines 'Group: names' and
    'Group: values'), as an int; None when absent."""
    lines = text.splitlines()
    for heads, values in zip(lines, lines[1:]):
        h, v = heads.split(), values.split()
        if h and h[0] == group + ":" and v and v[0] == group + ":" and name in h[1:]:
            i = h.index(name)
            if i < len(v) and v[i].lstrip("-").isdigit():
                return int(v[i])
    return None


def percentile(values, q):
    """The q-th percentile (0-100, nearest rank) of values; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, math.ceil(q / 100.0 * len(ordered)) - 1))
    return ordered[k]


def verdict(res):
    """('PASS'|'FAIL'|'SKIP', [reasons]) of one backend's result (soak.py's dict)."""
    if res.get("skipped"):
        return "SKIP", [res["skipped"]]
    reasons = []
    if res.get("setup_error"):
        reasons.append(res["setup_error"])
    boot = res.get("boot") or {}
    if boot and not boot.get("ok"):
        reasons.append("no HTTP 200 after the boot: %s" % boot.get("reason", "?"))
    crash = res.get("crash")
    if crash:
        reasons.append("server crash: %s at %.1f s" % (crash.get("what", "QEMU exited"),
                                                         crash.get("at_s", 0.0)))
    for f in res.get("console_failures", []):
        reasons.append("console at %.1f s: %r" % (f["at_s"], f["line"]))
    gaps = res.get("gaps") or {}
    count = gaps.get("server_stall_count", gaps.get("stall_count", 0))
    if count:
        counted = [s for s in gaps.get("stalls") or [] if s.get("counted", True)]
        worst = max(counted or [{"duration_s": gaps.get("longest_s", 0),
                                 "start_s": gaps.get("longest_at_s", 0)}],
                    key=lambda s: s["duration_s"])
        reasons.append("%d stall%s over %g s without any response: longest %.2f s from "
                       "%.1f s%s" % (count, "" if count == 1 else "s",
                                     gaps.get("threshold_s", STALL_S),
                                     worst["duration_s"], worst["start_s"],
                                     " (still none at the end)" if worst.get("open") else ""))
    ns = res.get("netstats") or {}
    if ns.get("lines") and ns.get("silence_over_limit"):
        reasons.append("netstats lines stopped while the VM ran: %.1f s without one "
                       "(limit %d x %g s)" % (ns["longest_silence_s"], NETSTATS_SILENCE,
                                              ns.get("interval_s", 0)))
    mem = res.get("memory") or {}
    if mem.get("verdict") == "falling":
        reasons.append(mem["reason"])
    errors = res.get("errors") or {}
    wrong = sum(by.get(k, 0) for by in errors.values() for k in WRONG_ANSWER_KINDS)
    if wrong:
        reasons.append("%d wrong answers (bad status or body)" % wrong)
    if res.get("interrupted"):
        reasons.append("interrupted: %s" % res["interrupted"])
    if res.get("ran") is False and not reasons:
        reasons.append("the load did not run")
    return ("FAIL" if reasons else "PASS"), reasons


def overall(results):
    """'PASS' when no backend failed and at least one ran (SKIP is no failure), else
    'FAIL'; with the per-backend words."""
    words = [(r["backend"], verdict(r)[0]) for r in results]
    ran = [w for _, w in words if w != "SKIP"]
    ok = bool(ran) and all(w == "PASS" for w in ran)
    return ("PASS" if ok else "FAIL"), words


def _mmss(s):
    s = int(round(s or 0))
    return "%d:%02d:%02d" % (s // 3600, s % 3600 // 60, s % 60) if s >= 3600 else \
        "%d:%02d" % (s // 60, s % 60)


def _counts(d):
    return ", ".join("%s %d" % (k, v) for k, v in d.items() if v) or "none"


KIND_LABELS = {"small_ka": "611 B keep-alive", "big_ka": "64 KiB keep-alive",
               "small_close": "611 B close", "big_close": "64 KiB close",
               "probe": "prober", "abort": "dropped"}


def render(res):
    """One backend's report block (text lines)."""
    name = res["backend"]
    word, reasons = verdict(res)
    lines = ["== %s: %s ==" % (name, res.get("title", name))]
    if word == "SKIP":
        lines.append("SKIP: %s" % reasons[0])
        return lines
    if res.get("where"):
        lines.append("where: %s" % res["where"])
    if not res.get("ran"):
        if res.get("console_tail"):
            lines.append("console tail:")
            lines.extend("  | " + l for l in res["console_tail"][-20:])
        lines.append("%s: %s: %s" % (name, word, "; ".join(reasons)))
        return lines
    boot = res.get("boot") or {}
    if boot.get("ok"):
        lines.append("duration: %s of load (%.1f s; first HTTP 200 %.0f ms after QEMU's "
                     "exec)" % (_mmss(res.get("load_s")), res.get("load_s") or 0,
                                boot.get("first_200_ms", 0)))
    ok = res.get("ok") or {}
    total = sum(ok.values())
    rate = total / res["load_s"] if res.get("load_s") else 0
    lines.append("requests ok: %d (%.0f/s): %s" % (total, rate, ", ".join(
        "%s %d" % (KIND_LABELS.get(k, k), ok.get(k, 0)) for k in
        ("small_ka", "big_ka", "small_close", "big_close", "probe") if k in ok)))
    errors = res.get("errors") or {}
    by_err = {}
    for kind, by in errors.items():
        for e, n in by.items():
            by_err.setdefault(e, {})[kind] = n
    if by_err:
        parts = []
        for e in sorted(by_err, key=lambda e: ERROR_KINDS.index(e) if e in ERROR_KINDS else 99):
            kinds = by_err[e]
            parts.append("%s %d (%s)" % (e, sum(kinds.values()), ", ".join(
                "%s %d" % (KIND_LABELS.get(k, k), n) for k, n in sorted(kinds.items()))))
        lines.append("errors: %d: %s" % (sum(sum(k.values()) for k in by_err.values()),
                                        "; ".join(parts)))
    else:
        lines.append("errors: none")
    ab = res.get("aborts") or {}
    if ab:
        lines.append("dropped mid-response: %d done (%s)" % (
            sum(v for k, v in ab.items()), _counts(ab)))
    gaps = res.get("gaps") or {}
    probe = res.get("probe") or {}
    lines.append("longest time without a response: %.3f s, from %.1f s%s" % (
        gaps.get("longest_s", 0), gaps.get("longest_at_s", 0),
        ("; prober latency p50 %.3f s, p99 %.3f s, max %.3f s (%d probes)"
         % (probe["p50_s"], probe["p99_s"], probe["max_s"], probe["n"])) if probe.get("n")
        else ""))
    if probe.get("connect_max_s") is not None:
        lines.append(probe_connect_line(probe))
    lag = res.get("loop_lag")
    if lag:
        cpu = res.get("cpu") or {}
        lines.append("soak client: event loop woke up to %.3f s late%s" % (
            lag["max_s"], "; CPU: client %.0f%% of a core, QEMU %.0f%%" % (
                100 * cpu["client"], 100 * cpu["qemu"]) if cpu.get("qemu") is not None and
            cpu.get("client") is not None else ""))
    stalls = gaps.get("stalls") or []
    thr = gaps.get("threshold_s", STALL_S)
    if gaps.get("stall_count"):
        lines.append("stalls over %g s: %d%s" % (
            thr, gaps.get("server_stall_count", gaps["stall_count"]),
            "; and %d gaps over %g s that the soak's own client was paused for (host load; "
            "not counted)" % (gaps["client_pause_stalls"], thr)
            if gaps.get("client_pause_stalls") else ""))
        for s in stalls[:10]:
            lines.append("  %.1f s -> %.1f s: %.2f s without a response%s%s" % (
                s["start_s"], s["end_s"], s["duration_s"],
                " (still none at the end)" if s.get("open") else "",
                "" if not s.get("client_pause_s") else
                ", the client paused %.2f s of it: %s" % (
                    s["client_pause_s"], "counted" if s.get("counted", True) else
                    "not counted")))
            for l in s.get("netstats", [])[:8]:
                lines.append("    " + l)
        if len(stalls) > 10:
            lines.append("  ... %d more in report.json" % (len(stalls) - 10))
    else:
        lines.append("stalls over %g s: none" % thr)
    ns = res.get("netstats") or {}
    if not ns.get("lines"):
        lines.append("netstats: no netstats lines (the kernel has no netstats= option?): "
                     "no memory verdict")
    else:
        lines.append("netstats: %d lines (every %g s; longest silence %.1f s)" % (
            ns["lines"], ns.get("interval_s", 0), ns.get("longest_silence_s", 0)))
        fk = ns.get("free_kib") or {}
        if fk:
            lines.append("free_kib: start %d, min %d, end %d; per minute: %s" % (
                fk["start"], fk["min"], fk["end"],
                " ".join("%d" % v for _, v in fk.get("per_minute", []))))
        mem = res.get("memory") or {}
        lines.append("memory rule: %s (%s)" % (mem.get("verdict", "n/a"), mem.get("reason", "")))
        cs = ns.get("counters") or {}
        if cs:
            lines.append("counters (first/last/max): " + ", ".join(
                "%s %d/%d/%d" % (k, c["first"], c["last"], c["max"])
                for k, c in cs.items() if k not in ("t_ms",)))
    crash = res.get("crash")
    if crash or res.get("console_failures"):
        lines.append("console tail:")
        lines.extend("  | " + l for l in (res.get("console_tail") or [])[-20:])
    lines.append("%s: %s%s" % (name, word, (": " + "; ".join(reasons)) if reasons else ""))
    return lines
