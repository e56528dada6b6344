"""liveness.py - whether a subject still answers during and after a wrk phase, and the
words the bench uses when one stopped.

Each wrk phase (one case of one run: bench.run_phase) has three witnesses:

  * wrk's own output (wrk_outcome): its figures, or that it hung past its time limit, or
    printed no figures ("unable to connect ..."), or finished with 0 requests;
  * a Watcher: a thread that GETs the small page every 0.5 s (2 s timeout each, a bounded
    count) from wrk's start until wrk returns, and records when each GET got its answer,
    in seconds since wrk's start; about 2 requests/s beside wrk's 16 connections;
  * a follow-up after wrk returned (answers_after): GETs of the small page, 2 s timeout
    each, until one gets an HTTP answer or 6 s passed. One 2 s GET is not enough:
    healthy runs have stalls of several seconds (the wrk timeouts, at 5 s, noted under
    the table), and the end of a Connection: close phase leaves the guest many
    connections to close.

judge() says whether the subject stopped answering in the phase: it did when the
follow-up got no HTTP answer within 6 s, or when wrk got nothing (hung, no figures, 0
requests) while the watcher's last GET in the phase went unanswered too. A phase with
some wrk timeouts whose follow-up answered is not a stop (its timeouts are noted as
before); wrk getting nothing while the small page kept answering is a failure of that
phase's figures, not a stop. The stop's time is the watcher's last answered GET: the
subject answered then and not after, so it is a lower bound, to within the 0.5 s period
plus the 2 s timeout; when no watcher GET was answered it is unknown ("within the 10 s
phase").

Pure, unit-tested: wrk_outcome, watch_summary, judge, stop_line, stop_note,
exit_status; Watcher and answers_after with a fake GET.
"""
import threading
import time

from . import probe
from . import wrk

WATCH_PERIOD_S = 0.5
GET_TIMEOUT_S = 2.0
AFTER_WINDOW_S = 6.0
BACKEND_NAMES = {"user": "user networking", "tap": "tap"}


def wrk_outcome(stdout, stderr="", hung_after_s=None, error=None):
    """What one wrk run gave: {'kind', 'result', 'reason'}. kind: 'ok' (figures parsed;
    reason None, or '0 requests ...' when nothing was answered), 'hung' (it did not
    finish within hung_after_s: the caller killed it), 'no-figures' (no Requests/sec or
    latency distribution: 'unable to connect ...' and the like), 'error' (wrk could not
    be run: a problem of the bench, not of the subject; error is the reason)."""
    if error is not None:
        return {"kind": "error", "result": None, "reason": error}
    if hung_after_s is not None:
        return {"kind": "hung", "result": None,
                "reason": "wrk did not finish within %d s" % hung_after_s}
    try:
        result = wrk.parse(stdout or "")
    except wrk.ParseError as e:
        said = ((stderr or "").strip() + " " + (stdout or "").strip()).strip()
        return {"kind": "no-figures", "result": None,
                "reason": "%s: %s" % (e, said[-200:]) if said else str(e)}
    reason = None
    if got_nothing({"kind": "ok", "result": result}):
        reason = "wrk: 0 requests answered in %.1f s" % result.get("duration_s", 0)
    return {"kind": "ok", "result": result, "reason": reason}


def got_nothing(outcome):
    """True when wrk got no answer at all: it hung, printed no figures, or finished with
    0 requests (0 req/s)."""
    if outcome["kind"] in ("hung", "no-figures"):
        return True
    if outcome["kind"] != "ok":
        return False
    r = outcome["result"]
    return r.get("requests") == 0 or r.get("requests_per_s") == 0


def watch_summary(attempts):
    """The watcher's GETs [(start_s, end_s, answered)] as {'gets', 'answered',
    'last_answer_s' (end of the last answered GET, None if none was), 'last_answered'
    (whether the last GET was), 'longest_gap_s' (the longest time without an answer,
    from wrk's start or an answer to the next answer or the last GET's end)}."""
    answered = [end for _, end, ok in attempts if ok]
    gaps, prev = [], 0.0
    for _, end, ok in attempts:
        if ok:
            gaps.append(end - prev)
            prev = end
    if attempts and not attempts[-1][2]:
        gaps.append(attempts[-1][1] - prev)
    return {"gets": len(attempts), "answered": len(answered),
            "last_answer_s": round(answered[-1], 2) if answered else None,
            "last_answered": bool(attempts) and attempts[-1][2],
            "longest_gap_s": round(max(gaps), 2) if gaps else None}


def judge(outcome, watch, after):
    """None when the subject answered in this phase; otherwise the stop: {'seconds'
    (watch's last_answer_s, None when unknown), 'answered_after', 'evidence' (the
    witnesses, as text)}. outcome: wrk_outcome's dict; watch: watch_summary's; after:
    answers_after's ({'answered', 'gets', 'waited_s', 'last'}). wrk that could not run
    (kind 'error') says nothing about the subject: None."""
    if outcome["kind"] == "error":
        return None
    nothing = got_nothing(outcome)
    silent = not watch["gets"] or not watch["last_answered"]
    if after["answered"] and not (nothing and silent):
        return None
    evidence = []
    if not after["answered"]:
        evidence.append("no HTTP answer to %d GETs of the small page in %.1f s after wrk "
                        "(last: %s)" % (after["gets"], after["waited_s"], after["last"]))
    if outcome["kind"] == "ok":
        r = outcome["result"]
        errs = ", ".join("%s %d" % (k, v) for k, v in sorted(r["errors"].items()) if v)
        evidence.append("wrk: %s requests, %.2f req/s%s" % (r.get("requests", "?"),
                                                           r["requests_per_s"],
                                                           ", errors: " + errs if errs else ""))
    else:
        evidence.append(outcome["reason"])
    evidence.append("watcher: %d of %d GETs answered, the last answer %s" % (
        watch["answered"], watch["gets"],
        "%.1f s into the phase" % watch["last_answer_s"]
        if watch["last_answer_s"] is not None else "never"))
    if after["answered"]:
        evidence.append("the small page answered again after the phase")
    return {"seconds": watch["last_answer_s"], "answered_after": after["answered"],
            "evidence": evidence}


def stop_line(title, run, phase, backend, seconds, phase_s, answered_after=False):
    """'VMOS stopped answering in run 2, phase 64 KiB, Connection: close (user
    networking), after 7.1 s'; 'within the 10 s phase' when seconds is None."""
    when = ("after %.1f s" % seconds if seconds is not None
            else "within the %d s phase" % phase_s)
    return "%s stopped answering in run %d, phase %s (%s), %s%s" % (
        title, run, phase, BACKEND_NAMES.get(backend, backend), when,
        " (it answered again after the phase)" if answered_after else "")


def stop_note(line, run):
    """The table's footnote for the figures a stop left out."""
    return "%s: run %d left out from that phase on" % (line, run)


def exit_status(tap_lines, stops):
    """bench.py's exit status: 1 when a TAP line failed or a subject stopped answering,
    0 for a complete run."""
    return 1 if stops or any(l.startswith("not ok") for l in tap_lines) else 0


class Watcher:
    """GETs of path every period_s from start() until stop() (or limit_s, or
    limit_s / period_s GETs), each with timeout_s; attempts: [(start_s, end_s, answered)]
    in seconds since start(). A GET counts as answered when it got an HTTP response. The
    thread is a daemon and makes one GET at a time; stop() waits for the one in flight
    (at most timeout_s). A thread started inside a network namespace (tapnet) is in it."""

    def __init__(self, host, port, path, limit_s, period_s=WATCH_PERIOD_S,
                 timeout_s=GET_TIMEOUT_S, get=probe.http_get, clock=time.monotonic):
        self.host, self.port, self.path = host, port, path
        self.limit_s, self.period_s, self.timeout_s = limit_s, period_s, timeout_s
        self.get, self.clock = get, clock
        self.attempts = []
        self.t0 = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-watcher", daemon=True)

    def start(self):
        self.t0 = self.clock()
        self._thread.start()
        return self

    def _run(self):
        max_gets = int(self.limit_s / self.period_s) + 1
        tick = 0
        while len(self.attempts) < max_gets and not self._done.is_set():
            wait = self.t0 + tick * self.period_s - self.clock()
            if wait > 0 and self._done.wait(wait):
                break
            start = self.clock() - self.t0
            if start > self.limit_s:
                break
            status, _ = self.get(self.port, self.path, timeout=self.timeout_s, host=self.host)
            self.attempts.append((start, self.clock() - self.t0, status is not None))
            # the next tick after now: a slow GET skips the ticks it overran
            tick = max(tick + 1, int((self.clock() - self.t0) / self.period_s) + 1)

    def stop(self):
        """Ends the watch; returns watch_summary of the GETs made."""
        self._done.set()
        if self._thread.is_alive():
            self._thread.join(self.timeout_s + 1.0)
        return watch_summary(list(self.attempts))


def answers_after(host, port, path, window_s=AFTER_WINDOW_S, timeout_s=GET_TIMEOUT_S,
                  pause_s=0.5, get=probe.http_get, clock=time.monotonic,
                  sleep=time.sleep):
    """GETs of path (timeout_s each, pause_s apart) until one gets an HTTP answer or
    window_s passed (at most window_s / pause_s + 1 GETs): {'answered', 'gets',
    'waited_s', 'last' (the last GET's status or reason)}."""
    t0 = clock()
    gets, last = 0, None
    max_gets = int(window_s / pause_s) + 1
    while gets < max_gets:
        status, detail = get(port, path, timeout=timeout_s, host=host)
        gets += 1
        last = status if status is not None else detail
        if status is not None:
            return {"answered": True, "gets": gets, "waited_s": round(clock() - t0, 2),
                    "last": last}
        if clock() - t0 + pause_s >= window_s:
            break
        sleep(pause_s)
    return {"answered": False, "gets": gets, "waited_s": round(clock() - t0, 2), "last": last}
