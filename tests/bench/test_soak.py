#!/usr/bin/env python3
"""test_soak.py - unit tests of make soak's pure pieces (bench/benchlib/soaklib.py and the
pure helpers of soakload.py), run by tests/bench/bench-tests.sh: the netstats lines, the
console's failure lines, the longest time without a response and the stalls (with the
client's own pauses), the memory-trend rule, the verdict and the report. Each test is one
TAP line; no VM, no network."""
import os
import random
import sys
import unittest

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "bench"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import tapresult  # noqa: E402
from benchlib import soaklib, soakload  # noqa: E402

LINE = ("netstats: t_ms=120034 rx_posted=128 rx_pending=0 rx_frames=81234 rx_dropped=0 "
        "tx_frames=80000 tx_inflight=3 irqs=5000 rx_stalls=0 pbuf_pool_used=2 pbuf_pool_max=40 "
        "pbuf_pool_err=0 mem_used=10240 mem_max=50000 mem_err=0 tcp_pcbs=17 free_kib=250000")


class Netstats(unittest.TestCase):
    def test_example_line(self):
        d = soaklib.parse_netstats(LINE)
        self.assertEqual(len(d), 17)
        self.assertEqual((d["t_ms"], d["free_kib"], d["tcp_pcbs"]), (120034, 250000, 17))
        self.assertNotIn("_malformed", d)

    def test_any_keys_kept(self):
        self.assertEqual(soaklib.parse_netstats("netstats: a=1 b_2=-3 new_counter=99"),
                         {"a": 1, "b_2": -3, "new_counter": 99})

    def test_stray_bytes_before_and_crlf(self):
        d = soaklib.parse_netstats("\x1b[0mnetstats: t_ms=5 free_kib=7\r")
        self.assertEqual(d, {"t_ms": 5, "free_kib": 7})

    def test_malformed_words_skipped_and_counted(self):
        d = soaklib.parse_netstats("netstats: t_ms=5 junk x=1.5 =3 y= free_kib=7")
        self.assertEqual(d, {"t_ms": 5, "free_kib": 7, "_malformed": 4})

    def test_not_a_netstats_line(self):
        for line in ("", "httpd: serving /www on port 80", "netstats:", "netstats: nothing",
                     "netstats=10 on the command line"):
            self.assertIsNone(soaklib.parse_netstats(line), line)

    def test_series_uses_guest_clock_when_present(self):
        s = [{"t_ms": 1000, "free_kib": 5, "host_s": 0.9}, {"t_ms": 11000, "free_kib": 4,
                                                          "host_s": 11.2}]
        self.assertEqual(soaklib.series_of(s, "free_kib"), [(1.0, 5), (11.0, 4)])
        s[1].pop("t_ms")
        self.assertEqual(soaklib.series_of(s, "free_kib"), [(0.9, 5), (11.2, 4)])

    def test_counters(self):
        s = [{"a": 3, "host_s": 1}, {"a": 9, "b": 1, "host_s": 2}, {"a": 5, "host_s": 3}]
        c = soaklib.counters(s)
        self.assertEqual(c["a"], {"first": 3, "last": 5, "min": 3, "max": 9})
        self.assertEqual(c["b"], {"first": 1, "last": 1, "min": 1, "max": 1})
        self.assertNotIn("host_s", c)

    def test_per_minute_keeps_last_of_each_minute(self):
        series = [(t, t) for t in range(0, 185, 10)]
        self.assertEqual(soaklib.per_minute(series), [(0, 50), (1, 110), (2, 170), (3, 180)])


class Console(unittest.TestCase):
    def test_lines_split_across_reads(self):
        w = soaklib.ConsoleWatcher()
        w.feed("boot\nnetstats: t_ms=10 free_", 1.0)
        self.assertEqual(w.samples, [])
        w.feed("kib=100\nnetstats: t_ms=20 free_kib=90\n", 2.0)
        self.assertEqual([(s["t_ms"], s["free_kib"], s["host_s"]) for s in w.samples],
                         [(10, 100, 2.0), (20, 90, 2.0)])

    def test_failure_words(self):
        w = soaklib.ConsoleWatcher()
        w.feed("net: receive stalled for 1 s\nnetstats: rx_stalls=1 t_ms=1\n", 3.0)
        self.assertEqual([(f["word"], f["at_s"]) for f in w.failures], [("stalled", 3.0)])
        self.assertFalse(w.fatal)  # a stall is reported, the guest is not gone
        w.feed("PANIC: page fault at 0x0\n", 4.0)
        self.assertTrue(w.fatal)
        w2 = soaklib.ConsoleWatcher()
        w2.feed("stack overflow in stack slot 3\n", 1.0)
        self.assertTrue(w2.fatal)
        self.assertIsNone(soaklib.failure_word("httpd: serving /www on port 80"))
        self.assertIsNone(soaklib.failure_word("netstats: panics=0 t_ms=1"))

    def test_silence_between_lines(self):
        w = soaklib.ConsoleWatcher()
        self.assertIsNone(w.silence(5.0))
        for t in (10.0, 20.0, 55.0, 65.0):
            w.feed("netstats: t_ms=%d\n" % (t * 1000), t)
        self.assertEqual((w.longest_silence_s, w.longest_silence_at_s), (35.0, 20.0))
        self.assertEqual(w.silence(70.0), 5.0)

    def test_flush_takes_the_unfinished_line(self):
        w = soaklib.ConsoleWatcher()
        w.feed("netstats: t_ms=1 free_kib=2", 1.0)
        w.flush(1.5)
        self.assertEqual(len(w.samples), 1)


class Gaps(unittest.TestCase):
    def test_longest_gap_and_stalls(self):
        g = soaklib.GapTracker(100.0)
        for t in (100.1, 100.3, 101.0, 102.5, 102.6, 103.5):
            g.add(t)
        g.finish(103.6)
        s = g.summary()
        self.assertAlmostEqual(s["longest_s"], 1.5)
        self.assertAlmostEqual(s["longest_at_s"], 1.0)
        self.assertEqual(s["stall_count"], 1)
        self.assertEqual(s["stalls"][0]["start_s"], 1.0)
        self.assertEqual(s["stalls"][0]["end_s"], 2.5)
        self.assertFalse(s["stalls"][0]["open"])

    def test_exactly_the_threshold_is_no_stall(self):
        g = soaklib.GapTracker(0.0, threshold=1.0)
        g.add(1.0)
        g.add(2.0)
        g.finish(2.5)
        self.assertEqual(g.summary()["stall_count"], 0)
        self.assertEqual(g.summary()["longest_s"], 1.0)

    def test_gap_from_the_start(self):
        g = soaklib.GapTracker(10.0)
        g.add(13.0)
        self.assertEqual(g.summary()["stalls"][0]["start_s"], 0.0)

    def test_open_gap_at_the_end_counts(self):
        g = soaklib.GapTracker(0.0)
        g.add(0.5)
        self.assertAlmostEqual(g.current(4.0), 3.5)
        g.finish(10.0)
        s = g.summary()
        self.assertEqual(s["stall_count"], 1)
        self.assertTrue(s["stalls"][0]["open"])
        self.assertAlmostEqual(s["longest_s"], 9.5)
        g.finish(20.0)  # once only
        self.assertEqual(g.summary()["stall_count"], 1)

    def test_late_report_of_an_earlier_completion(self):
        g = soaklib.GapTracker(0.0)
        g.add(0.5)
        g.add(0.4)  # completed earlier, counted, no negative gap
        g.add(0.9)
        self.assertEqual(g.responses, 3)
        self.assertAlmostEqual(g.summary()["longest_s"], 0.5)

    def test_many_clients_interleaved(self):
        # Responses from several clients: only the merged timeline matters.
        rng = random.Random(3)
        times = sorted(rng.uniform(0, 60) for _ in range(3000))
        times = [t for t in times if not 30.0 <= t <= 32.5]
        g = soaklib.GapTracker(0.0)
        for t in times:
            g.add(t)
        g.finish(60.0)
        s = g.summary()
        self.assertEqual(s["stall_count"], 1)
        self.assertGreater(s["longest_s"], 2.5)
        self.assertLess(s["longest_s"], 2.6)

    def test_kept_list_is_bounded(self):
        g = soaklib.GapTracker(0.0, keep=3)
        for i in range(1, 11):
            g.add(i * 2.0)
        self.assertEqual(g.stall_count, 10)
        self.assertEqual(len(g.summary()["stalls"]), 3)

    def test_client_pauses_discounted(self):
        g = soaklib.GapTracker(0.0)
        for t in (0.5, 2.5, 3.0, 6.0):
            g.add(t)
        g.finish(6.0)
        # The client froze 1.8 s during the first stall, 0.5 s during the second.
        out = soaklib.discount_pauses(g.summary(), [(0.6, 2.4), (3.2, 3.7)])
        first, second = out["stalls"]
        self.assertAlmostEqual(first["client_pause_s"], 1.8)
        self.assertFalse(first["counted"])
        self.assertAlmostEqual(second["server_s"], 2.5)
        self.assertTrue(second["counted"])
        self.assertEqual((out["server_stall_count"], out["client_pause_stalls"]), (1, 1))

    def test_overlap(self):
        self.assertAlmostEqual(soaklib.overlap(1.0, 3.0, [(0.0, 1.5), (2.0, 2.5), (2.9, 9)]),
                               1.1)
        self.assertEqual(soaklib.overlap(1.0, 3.0, []), 0)

    def test_samples_near_a_stall(self):
        samples = [{"host_s": float(t), "t_ms": t * 1000} for t in range(0, 100, 10)]
        near = soaklib.samples_near(samples, 41.0, 43.0, 10)
        self.assertEqual([s["host_s"] for s in near], [30.0, 40.0, 50.0, 60.0])
        self.assertIn("netstats: t_ms=40000", soaklib.format_sample(near[1]))


def series(n=360, step=10.0, start=250000.0, per_s=0.0, noise=0.0, seed=1, fn=None):
    rng = random.Random(seed)
    out = []
    for i in range(n):
        t = i * step
        v = start + per_s * t + rng.uniform(-noise, noise)
        if fn:
            v = fn(t, v)
        out.append((t, v))
    return out


class Memory(unittest.TestCase):
    def test_flat_with_noise_is_ok(self):
        m = soaklib.memory_trend(series(noise=2000))
        self.assertEqual(m["verdict"], "ok", m["reason"])

    def test_steady_leak_is_falling(self):
        # 250000 KiB, losing 5 KiB/s: 18000 KiB over the hour (7.2% > 5%).
        m = soaklib.memory_trend(series(per_s=-5.0, noise=500))
        self.assertEqual(m["verdict"], "falling")
        self.assertTrue(m["projected_loss_over_limit"] and m["last_third_below_second"])
        self.assertIn("keeps falling", m["reason"])

    def test_slow_leak_under_the_limit_is_ok(self):
        # 2 KiB/s: 7200 KiB over the hour, 2.9% of the start.
        m = soaklib.memory_trend(series(per_s=-2.0, noise=200))
        self.assertEqual(m["verdict"], "ok")
        self.assertFalse(m["projected_loss_over_limit"])

    def test_drop_during_warmup_then_flat_is_ok(self):
        # Caches filling at the start (the first 5%): out of the fit.
        m = soaklib.memory_trend(series(fn=lambda t, v: v - 30000 if t > 100 else v,
                                        noise=300))
        self.assertEqual(m["verdict"], "ok", m["reason"])

    def test_step_after_warmup_then_flat_is_ok(self):
        # One step down at 20% of the run, then level: the slope says loss, but the last
        # third's minimum is not below the second third's.
        m = soaklib.memory_trend(series(fn=lambda t, v: v - 40000 if t > 720 else v))
        self.assertTrue(m["projected_loss_over_limit"])
        self.assertFalse(m["last_third_below_second"])
        self.assertEqual(m["verdict"], "ok")

    def test_leak_that_recovers_is_ok(self):
        # Falling until the middle, given back in the last third.
        def fn(t, v):
            return v - 10 * min(t, 1800) + (20 * (t - 2400) if t > 2400 else 0)
        m = soaklib.memory_trend(series(fn=fn))
        self.assertEqual(m["verdict"], "ok", m["reason"])

    def test_one_deep_dip_at_the_end_is_ok(self):
        m = soaklib.memory_trend(series(noise=500, fn=lambda t, v: v - 100000 if t == 3590
                                        else v))
        self.assertTrue(m["last_third_below_second"])
        self.assertEqual(m["verdict"], "ok")

    def test_too_few_samples_gives_no_verdict(self):
        self.assertEqual(soaklib.memory_trend([])["verdict"], "n/a")
        self.assertEqual(soaklib.memory_trend([(0, 5)])["verdict"], "n/a")
        m = soaklib.memory_trend(series(n=5, per_s=-1000))
        self.assertEqual(m["verdict"], "n/a")
        self.assertIn("after the warm-up", m["reason"])

    def test_short_run_fast_leak(self):
        # A 2-minute run, 12 lines: a fast leak is still seen.
        m = soaklib.memory_trend(series(n=13, per_s=-200.0))
        self.assertEqual(m["verdict"], "falling")

    def test_slope(self):
        self.assertAlmostEqual(soaklib.least_squares_slope([(0, 1), (1, 3), (2, 5)]), 2.0)
        self.assertIsNone(soaklib.least_squares_slope([(1, 1), (1, 2)]))
        self.assertIsNone(soaklib.least_squares_slope([(1, 1)]))


class HostCounters(unittest.TestCase):
    NETSTAT = ("TcpExt: SyncookiesSent ListenOverflows ListenDrops\n"
               "TcpExt: 0 40248 40250\n"
               "IpExt: InNoRoutes ListenOverflows\n"
               "IpExt: 7 9\n")

    def test_netstat_counter_reads_its_group(self):
        self.assertEqual(soaklib.netstat_counter(self.NETSTAT, "TcpExt", "ListenOverflows"),
                         40248)
        self.assertEqual(soaklib.netstat_counter(self.NETSTAT, "IpExt", "ListenOverflows"), 9)
        self.assertIsNone(soaklib.netstat_counter(self.NETSTAT, "TcpExt", "Nope"))
        self.assertIsNone(soaklib.netstat_counter("", "TcpExt", "ListenOverflows"))

    def test_probe_connect_line_names_the_host_side(self):
        probe = {"n": 692, "p50_s": 0.01, "p99_s": 1.03, "max_s": 1.04,
                 "connect_p99_s": 1.02, "connect_max_s": 1.032, "connects_over_1s": 14,
                 "host_listen_overflows": 51}
        line = soaklib.probe_connect_line(probe)
        self.assertIn("14 of 692 took 1 s or more", line)
        self.assertIn("ListenOverflows +51", line)
        self.assertIn("backlog of 1", line)
        probe["host_listen_overflows"] = 0
        self.assertNotIn("backlog", soaklib.probe_connect_line(probe))
        del probe["host_listen_overflows"]
        self.assertNotIn("ListenOverflows", soaklib.probe_connect_line(probe))

    def test_report_carries_the_connect_line(self):
        res = passing(probe={"n": 200, "p50_s": 0.01, "p99_s": 0.2, "max_s": 0.3,
                             "connect_p99_s": 0.001, "connect_max_s": 0.002,
                             "connects_over_1s": 0})
        self.assertIn("prober connect(): p99 0.001 s, max 0.002 s, 0 of 200",
                      "\n".join(soaklib.render(res)))
        self.assertNotIn("prober connect()", "\n".join(soaklib.render(passing())))


def passing(**over):
    res = {"backend": "user", "ran": True, "load_s": 60.0,
           "boot": {"ok": True, "first_200_ms": 200.0},
           "ok": {"small_ka": 100, "big_ka": 10, "small_close": 5, "big_close": 5, "probe": 200},
           "errors": {"big_close": {"timeout": 2}},
           "aborts": {"close_partial": 3, "rst_partial": 3},
           "gaps": {"longest_s": 0.3, "longest_at_s": 12.0, "stall_count": 0, "stalls": [],
                    "threshold_s": 1.0, "server_stall_count": 0, "client_pause_stalls": 0},
           "probe": {"n": 200, "p50_s": 0.01, "p99_s": 0.2, "max_s": 0.3},
           "netstats": {"lines": 6, "interval_s": 10, "longest_silence_s": 10.2,
                        "silence_over_limit": False,
                        "free_kib": {"start": 100, "min": 90, "end": 95,
                                     "per_minute": [(0, 95)]},
                        "counters": {"t_ms": {"first": 1, "last": 2, "min": 1, "max": 2},
                                     "mem_used": {"first": 5, "last": 6, "min": 5, "max": 9}}},
           "memory": {"verdict": "ok", "reason": "fine"},
           "console_failures": [], "crash": None, "console_tail": ["httpd: serving"]}
    res.update(over)
    return res


class Verdict(unittest.TestCase):
    def test_pass(self):
        self.assertEqual(soaklib.verdict(passing()), ("PASS", []))

    def test_counted_errors_do_not_fail(self):
        res = passing(errors={"small_close": {"refused": 3, "reset": 2, "timeout": 1,
                                              "short_body": 1, "closed": 1}})
        self.assertEqual(soaklib.verdict(res)[0], "PASS")

    def test_wrong_answers_fail(self):
        word, why = soaklib.verdict(passing(errors={"big_ka": {"bad_body": 1},
                                                    "probe": {"bad_status": 2}}))
        self.assertEqual(word, "FAIL")
        self.assertIn("3 wrong answers", why[0])

    def test_stall_fails(self):
        stall = {"start_s": 30.0, "end_s": 35.0, "duration_s": 5.0, "open": False,
                 "client_pause_s": 0.0, "server_s": 5.0, "counted": True}
        word, why = soaklib.verdict(passing(gaps={"longest_s": 5.0, "longest_at_s": 30.0,
                                                  "stall_count": 1, "stalls": [stall],
                                                  "threshold_s": 1.0,
                                                  "server_stall_count": 1,
                                                  "client_pause_stalls": 0}))
        self.assertEqual(word, "FAIL")
        self.assertIn("1 stall over 1 s", why[0])
        self.assertIn("5.00 s from 30.0 s", why[0])

    def test_stall_of_the_client_only_passes(self):
        stall = {"start_s": 30.0, "end_s": 32.0, "duration_s": 2.0, "open": False,
                 "client_pause_s": 1.9, "server_s": 0.1, "counted": False}
        res = passing(gaps={"longest_s": 2.0, "longest_at_s": 30.0, "stall_count": 1,
                            "stalls": [stall], "threshold_s": 1.0, "server_stall_count": 0,
                            "client_pause_stalls": 1})
        self.assertEqual(soaklib.verdict(res)[0], "PASS")
        self.assertIn("not counted", "\n".join(soaklib.render(res)))

    def test_open_stall_says_so(self):
        stall = {"start_s": 50.0, "end_s": 60.0, "duration_s": 10.0, "open": True}
        why = soaklib.verdict(passing(gaps={"stall_count": 1, "stalls": [stall],
                                            "threshold_s": 1.0}))[1]
        self.assertIn("still none at the end", why[0])

    def test_crash_and_console_lines_fail(self):
        res = passing(crash={"what": "QEMU exited with status 1", "at_s": 12.5},
                      console_failures=[{"at_s": 12.0, "word": "PANIC",
                                         "line": "PANIC: out of memory"}])
        word, why = soaklib.verdict(res)
        self.assertEqual(word, "FAIL")
        self.assertIn("server crash: QEMU exited with status 1 at 12.5 s", why)
        self.assertTrue(any("PANIC: out of memory" in w for w in why))
        text = "\n".join(soaklib.render(res))
        self.assertIn("console tail:", text)
        self.assertIn("| httpd: serving", text)

    def test_memory_falling_fails(self):
        word, why = soaklib.verdict(passing(memory={"verdict": "falling",
                                                    "reason": "free memory keeps falling"}))
        self.assertEqual((word, why), ("FAIL", ["free memory keeps falling"]))

    def test_no_netstats_is_no_failure(self):
        ns = {"lines": 0, "interval_s": 10, "longest_silence_s": 0.0,
              "silence_over_limit": False, "counters": {}}
        res = passing(netstats=ns, memory={"verdict": "n/a", "reason": "no netstats lines"})
        self.assertEqual(soaklib.verdict(res)[0], "PASS")
        self.assertIn("no netstats lines", "\n".join(soaklib.render(res)))

    def test_netstats_silence_fails(self):
        ns = dict(passing()["netstats"], longest_silence_s=41.0, silence_over_limit=True)
        word, why = soaklib.verdict(passing(netstats=ns))
        self.assertEqual(word, "FAIL")
        self.assertIn("netstats lines stopped", why[0])

    def test_boot_failure(self):
        word, why = soaklib.verdict({"backend": "tap", "ran": False,
                                     "boot": {"ok": False, "reason": "none within 60 s"}})
        self.assertEqual(word, "FAIL")
        self.assertIn("none within 60 s", why[0])

    def test_skip_and_overall(self):
        skip = {"backend": "tap", "skipped": "the tap backend needs root"}
        self.assertEqual(soaklib.verdict(skip), ("SKIP", ["the tap backend needs root"]))
        self.assertEqual(soaklib.overall([passing(), skip])[0], "PASS")
        self.assertEqual(soaklib.overall([skip])[0], "FAIL")  # nothing ran
        bad = passing(backend="tap", memory={"verdict": "falling", "reason": "x"})
        word, words = soaklib.overall([passing(), bad])
        self.assertEqual((word, words), ("FAIL", [("user", "PASS"), ("tap", "FAIL")]))
        self.assertIn("SKIP: the tap backend needs root", soaklib.render(skip))

    def test_render_ends_with_the_verdict(self):
        lines = soaklib.render(passing())
        self.assertEqual(lines[-1], "user: PASS")
        text = "\n".join(lines)
        for part in ("requests ok: 320", "timeout 2", "dropped mid-response: 6",
                     "longest time without a response: 0.300 s", "free_kib: start 100",
                     "mem_used 5/6/9"):
            self.assertIn(part, text)

    def test_percentile(self):
        self.assertIsNone(soaklib.percentile([], 50))
        v = list(range(1, 101))
        self.assertEqual((soaklib.percentile(v, 50), soaklib.percentile(v, 99),
                          soaklib.percentile(v, 100)), (50, 99, 100))


class Load(unittest.TestCase):
    def test_mix(self):
        m = soakload.mix(20)
        self.assertEqual(sum(m.values()), 20)
        self.assertEqual(m, {"small_ka": 6, "big_ka": 4, "small_close": 5, "big_close": 5})
        self.assertEqual(sum(soakload.mix(4).values()), 4)
        self.assertTrue(all(v >= 1 for v in soakload.mix(1).values()))

    def test_parse_head(self):
        st, h = soakload.parse_head(b"HTTP/1.1 200 OK\r\nContent-Length: 611\r\n"
                                    b"Connection: close\r\n\r\n")
        self.assertEqual((st, h["content-length"], h["connection"]), (200, "611", "close"))
        with self.assertRaises(soakload.Answer) as e:
            soakload.parse_head(b"garbage\r\n\r\n")
        self.assertEqual(e.exception.kind, "bad_status")

    def test_classify(self):
        import asyncio
        self.assertEqual(soakload.classify(ConnectionRefusedError()), "refused")
        self.assertEqual(soakload.classify(ConnectionResetError()), "reset")
        self.assertEqual(soakload.classify(BrokenPipeError()), "reset")
        self.assertEqual(soakload.classify(asyncio.TimeoutError()), "timeout")
        self.assertEqual(soakload.classify(asyncio.IncompleteReadError(b"", 10)), "closed")
        self.assertEqual(soakload.classify(asyncio.IncompleteReadError(b"HT", 10)),
                         "short_body")
        self.assertEqual(soakload.classify(soakload.Answer("bad_body", "x")), "bad_body")
        self.assertEqual(soakload.classify(ValueError()), "other")

    def test_request_bytes(self):
        self.assertEqual(soakload.request_bytes("/64k.bin", "10.0.2.15", True),
                         b"GET /64k.bin HTTP/1.1\r\nHost: 10.0.2.15\r\nConnection: close\r\n\r\n")
        self.assertNotIn(b"Connection", soakload.request_bytes("/", "h", False))


if __name__ == "__main__":
    sys.exit(tapresult.run_module(__name__, "soak"))
