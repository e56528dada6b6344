#!/usr/bin/env python3
"""test_bench.py - unit tests of bench/benchlib (run by tests/bench/bench-tests.sh).
Each test is one TAP line: 'ok N - name' or 'not ok N - name' with the failure as
'#' lines. The wrk samples in tests/bench/samples/ are real wrk 4.1 output from this
repository's httpd (native, and VMOS under TCG), but for two from stand-in servers:
deaf-0-requests.txt (a listener that accepts and never answers: 0 requests, 0 req/s)
and stops-mid-run.txt (a server that stops answering 1 s into a 2 s run: wrk's figures
look healthy, only a GET after it shows the stop)."""
import os
import sys
import unittest
from unittest import mock

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "bench"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import tapresult  # noqa: E402
from benchlib import liveness, memfloor, stats, table, tapnet, wrk  # noqa: E402
from benchlib.subjects import parse_bootstats, parse_linux_log  # noqa: E402
from benchlib.subjects import (count_spread, icount_counts, linux_icount_args,  # noqa: E402
                               parse_bootstats_tsc, us_per_count)
from benchlib.qemu import memory_of, serial_file_of, with_netdev  # noqa: E402
from benchlib.subjects import VMOS_APPEND  # noqa: E402


def sample(name):
    with open(os.path.join(HERE, "samples", name)) as f:
        return f.read()


class Stats(unittest.TestCase):
    def test_summary_odd(self):
        s = stats.summarize([5, 1, 3])
        self.assertEqual((s["min"], s["median"], s["max"], s["n"]), (1, 3, 5, 3))

    def test_summary_even_median_is_mean_of_middle(self):
        self.assertEqual(stats.summarize([4, 1, 3, 2])["median"], 2.5)

    def test_summary_skips_failed_runs(self):
        s = stats.summarize([None, 7, None])
        self.assertEqual((s["min"], s["median"], s["max"], s["n"]), (7, 7, 7, 1))

    def test_summary_of_nothing_is_none(self):
        self.assertIsNone(stats.summarize([]))
        self.assertIsNone(stats.summarize([None]))

    def test_ratio(self):
        self.assertAlmostEqual(stats.ratio(31, 100), 0.31)
        self.assertIsNone(stats.ratio(None, 100))
        self.assertIsNone(stats.ratio(1, None))
        self.assertIsNone(stats.ratio(1, 0))

    def test_direction_lower_is_better(self):
        self.assertIs(stats.is_better(0.31, stats.LOWER), True)
        self.assertIs(stats.is_better(3.2, stats.LOWER), False)

    def test_direction_higher_is_better(self):
        self.assertIs(stats.is_better(0.31, stats.HIGHER), False)
        self.assertIs(stats.is_better(3.2, stats.HIGHER), True)

    def test_direction_tie_and_missing(self):
        self.assertIsNone(stats.is_better(1.0, stats.LOWER))
        self.assertIsNone(stats.is_better(None, stats.HIGHER))
        with self.assertRaises(ValueError):
            stats.is_better(0.5, "sideways")

    def test_format_ratio(self):
        self.assertEqual(stats.format_ratio(0.31, stats.LOWER), "x0.31 better")
        self.assertEqual(stats.format_ratio(0.31, stats.HIGHER), "x0.31 worse")
        self.assertEqual(stats.format_ratio(3.2, stats.HIGHER), "x3.20 better")
        self.assertEqual(stats.format_ratio(1.001, stats.LOWER), "x1.00 same")
        self.assertEqual(stats.format_ratio(0.004, stats.LOWER), "x0.004 better")
        self.assertEqual(stats.format_ratio(250, stats.HIGHER), "x250 better")
        self.assertEqual(stats.format_ratio(None, stats.HIGHER), "n/a")


FIGS = [
    {"key": "t", "label": "first 200", "unit": "ms", "better": stats.LOWER},
    {"key": "r", "label": "requests", "unit": "req/s", "better": stats.HIGHER},
]
COLS = [("vmos", "VMOS"), ("linux", "Linux guest"), ("host", "native host")]


class Table(unittest.TestCase):
    def render(self, results):
        return table.render(FIGS, results, COLS, "linux", ratio_title="vs Linux")

    def test_layout_and_ratios(self):
        text = self.render({
            "t": {"vmos": stats.summarize([30, 31, 40]), "linux": stats.summarize([100]),
                  "host": stats.summarize([3])},
            "r": {"vmos": stats.summarize([500]), "linux": stats.summarize([1000]),
                  "host": stats.summarize([20000])},
        })
        lines = text.splitlines()
        self.assertEqual(lines[0].split(), ["figure", "VMOS", "vs", "Linux", "Linux", "guest",
                                            "native", "host", "vs", "Linux"])
        self.assertTrue(set(lines[1]) <= {"-", " "})
        self.assertIn("31 (30-40)", lines[2])
        self.assertIn("x0.31 better", lines[2])
        self.assertIn("x0.03 better", lines[2])
        self.assertIn("x0.50 worse", lines[3])
        self.assertIn("x20.00 better", lines[3])
        # every row as wide as the header (columns aligned right)
        self.assertEqual(len({len(l) for l in lines[:4]}), 1)

    def test_na_cells_become_numbered_notes(self):
        text = self.render({
            "t": {"vmos": stats.summarize([30]), "linux": {"na": "no guest yet"},
                  "host": {"na": "not a VM"}},
            "r": {"vmos": {"na": "no guest yet"}, "linux": {"na": "no guest yet"},
                  "host": stats.summarize([5])},
        })
        self.assertIn("n/a [1]", text)
        self.assertIn("n/a [2]", text)
        self.assertNotIn("n/a [3]", text)
        self.assertIn("[1] no guest yet", text)
        self.assertIn("[2] not a VM", text)
        self.assertNotIn("better", text)
        self.assertNotIn("worse", text)

    def test_number_formats(self):
        self.assertEqual(table.format_number(1272.4), "1272")
        self.assertEqual(table.format_number(9), "9")
        self.assertEqual(table.format_number(94.53), "94.5")
        self.assertEqual(table.format_number(1.634), "1.63")
        self.assertEqual(table.format_number(0.6491), "0.649")
        self.assertEqual(table.format_summary(stats.summarize([2, 2])), "2")


class Wrk(unittest.TestCase):
    def test_host_keepalive_sample(self):
        r = wrk.parse(sample("host-keepalive.txt"))
        self.assertEqual(r["requests_per_s"], 41804.09)
        self.assertAlmostEqual(r["latency_ms"]["50"], 0.313)
        self.assertAlmostEqual(r["latency_ms"]["99"], 9.98)
        self.assertAlmostEqual(r["latency_ms"]["90"], 0.667)
        self.assertEqual(r["requests"], 87810)
        self.assertAlmostEqual(r["duration_s"], 2.10)
        self.assertEqual((r["threads"], r["connections"]), (2, 16))
        self.assertEqual(r["errors"], {"connect": 0, "read": 0, "write": 0, "timeout": 0})
        self.assertEqual(r["non_2xx_3xx"], 0)
        self.assertAlmostEqual(r["latency_max_ms"], 32.82)

    def test_gigabytes_read(self):
        r = wrk.parse(sample("host-close-64k.txt"))
        self.assertEqual(r["requests_per_s"], 10242.35)
        self.assertAlmostEqual(r["latency_ms"]["50"], 0.97)
        self.assertAlmostEqual(r["read_bytes"], 1.25 * 1024 ** 3)

    def test_vmos_sample_with_timeouts(self):
        r = wrk.parse(sample("vmos-tcg-close-64k-timeouts.txt"))
        self.assertEqual(r["requests_per_s"], 356.89)
        self.assertEqual(r["errors"]["timeout"], 6)
        self.assertAlmostEqual(r["latency_ms"]["99"], 450.62)
        self.assertEqual(r["connections"], 64)

    def test_vmos_keepalive_sample(self):
        r = wrk.parse(sample("vmos-tcg-keepalive.txt"))
        self.assertEqual(r["requests_per_s"], 5218.77)
        self.assertAlmostEqual(r["latency_ms"]["99"], 659.36)

    def test_non_2xx_counted(self):
        r = wrk.parse(sample("host-404.txt"))
        self.assertEqual(r["non_2xx_3xx"], 107134)

    def test_refused_is_a_parse_error(self):
        with self.assertRaises(wrk.ParseError):
            wrk.parse(sample("refused.txt"))

    def test_no_distribution_is_a_parse_error(self):
        text = "\n".join(l for l in sample("host-keepalive.txt").splitlines()
                         if "%  " not in l)
        with self.assertRaises(wrk.ParseError):
            wrk.parse(text)

    def test_units(self):
        self.assertAlmostEqual(wrk.time_ms("734.07us"), 0.73407)
        self.assertAlmostEqual(wrk.time_ms("1.02s"), 1020.0)
        self.assertAlmostEqual(wrk.time_ms("2.00m"), 120000.0)
        self.assertAlmostEqual(wrk.count("13.92k"), 13920.0)
        self.assertAlmostEqual(wrk.size_bytes("21.02MB"), 21.02 * 1024 * 1024)
        with self.assertRaises(wrk.ParseError):
            wrk.time_ms("fast")

    def test_command(self):
        args = wrk.command("http://127.0.0.1:1/x", 10, 16, 2, close=True)
        self.assertEqual(args[:2], ["wrk", "--latency"])
        self.assertIn("-d", args)
        self.assertEqual(args[args.index("-d") + 1], "10s")
        self.assertEqual(args[args.index("-c") + 1], "16")
        self.assertEqual(args[args.index("-H") + 1], "Connection: close")
        self.assertNotIn("-H", wrk.command("http://x/", 2, 4, 8))
        # never more threads than connections (wrk refuses that)
        keep = wrk.command("http://x/", 2, 1, 8)
        self.assertEqual(keep[keep.index("-t") + 1], "1")


class Counter:
    """A fake predicate: up from floor on, with optional scripted lies per size."""

    def __init__(self, floor, lies=None):
        self.floor = floor
        self.lies = {k: list(v) for k, v in (lies or {}).items()}
        self.calls = []

    def __call__(self, m):
        self.calls.append(m)
        if self.lies.get(m):
            return self.lies[m].pop(0)
        return self.floor is not None and m >= self.floor


class MemFloor(unittest.TestCase):
    def test_exact_floor_every_position(self):
        for floor in range(3, 65):
            r = memfloor.find_floor(Counter(floor), 2, 64)
            self.assertEqual((r["floor"], r["status"]), (floor, "found"), floor)

    def test_probe_count_is_logarithmic(self):
        up = Counter(37)
        r = memfloor.find_floor(up, 2, 1024)
        self.assertEqual(r["floor"], 37)
        self.assertLessEqual(len(up.calls), 2 + 10 + 2)
        self.assertEqual(len(r["probes"]), len(up.calls))

    def test_always_up(self):
        r = memfloor.find_floor(Counter(1), 2, 64)
        self.assertEqual((r["floor"], r["status"]), (2, "always-up"))

    def test_never_up_checks_the_top_twice(self):
        up = Counter(None)
        r = memfloor.find_floor(up, 2, 64)
        self.assertEqual((r["floor"], r["status"]), (None, "never-up"))
        self.assertEqual(up.calls, [64, 64])

    def test_top_fails_once_then_answers(self):
        r = memfloor.find_floor(Counter(10, {64: [False]}), 2, 64)
        self.assertEqual((r["floor"], r["status"]), (10, "found"))

    def test_resolution(self):
        r = memfloor.find_floor(Counter(37), 2, 258, resolution=8)
        self.assertEqual(r["status"], "found")
        self.assertTrue(37 <= r["floor"] < 37 + 8, r["floor"])

    def test_noise_false_negative_above_floor_is_rechecked(self):
        # 33 (the first midpoint) fails once by bad luck: bisection goes too high, the
        # re-check of the boundary below the candidate (which answers) sends it back down.
        up = Counter(20, {33: [False]})
        r = memfloor.find_floor(up, 2, 64)
        self.assertEqual((r["floor"], r["status"]), (20, "found"), r["probes"])
        self.assertIn((33, False), r["probes"])
        self.assertIn((33, True), r["probes"])

    def test_noise_false_positive_below_floor_is_rechecked(self):
        # 17 answers once although the floor is 20: the candidate's re-check fails.
        up = Counter(20, {17: [True]})
        r = memfloor.find_floor(up, 2, 64)
        self.assertEqual((r["floor"], r["status"]), (20, "found"), r["probes"])
        self.assertIn((17, True), r["probes"])
        self.assertIn((17, False), r["probes"])

    def test_flapping_predicate_is_bounded(self):
        state = {"n": 0}

        def coin(m):
            state["n"] += 1
            return state["n"] % 2 == 1 or m > 60

        r = memfloor.find_floor(coin, 2, 64, max_probes=30)
        self.assertLessEqual(state["n"], 30)
        self.assertIn(r["status"], ("found", "unstable", "probe-limit", "always-up"))

    def test_lo_equals_hi(self):
        self.assertEqual(memfloor.find_floor(Counter(5), 5, 5)["floor"], 5)
        self.assertIsNone(memfloor.find_floor(Counter(6), 5, 5)["floor"])

    def test_bad_bounds(self):
        with self.assertRaises(ValueError):
            memfloor.find_floor(Counter(5), 9, 5)


class Logs(unittest.TestCase):
    def test_vmos_bootstats(self):
        text = ("SeaBIOS\nbootstats: tsc 2456154 kHz (PIT calibration); times are ...\n"
                "bootstats: entry     69617 us  (+0 us, tsc 170992365)\n"
                "bootstats: paging   114130 us  (+44513 us, tsc 280323174)\n"
                "bootstats: main     115039 us  (+909 us, tsc 282555835)\n")
        self.assertEqual(parse_bootstats(text),
                         {"entry": 69.617, "paging": 114.13, "main": 115.039})

    def test_vmos_bootstats_unknown_tsc(self):
        text = ("bootstats: entry         0 us  (+0 us, tsc 5496348)\n"
                "bootstats: main          0 us  (+0 us, tsc 162663603)\n")
        self.assertEqual(parse_bootstats(text), {})

    def test_linux_guest_log(self):
        text = ("\x1bc\x1b[?7l\x1b[2Jlinux-guest: httpd starts 4.88 s after boot "
                "(eth0 static)\r\nhttpd: serving /www on port 80\r\n")
        self.assertEqual(parse_linux_log(text), {"httpd": 4880.0})
        text = "[    0.812345] Run /init as init process\r\n"
        self.assertAlmostEqual(parse_linux_log(text)["init"], 812.345)

    def test_qemu_command_line(self):
        args = ["qemu-system-x86_64", "-m", "256M", "-serial", "file:/tmp/x/serial.log"]
        self.assertEqual(memory_of(args), 256)
        self.assertEqual(serial_file_of(args), "/tmp/x/serial.log")
        self.assertEqual(memory_of(["q", "-m", "1G"]), 1024)
        self.assertEqual(serial_file_of(["q", "-chardev", "file,id=s,path=/l"]), "/l")
        self.assertIsNone(memory_of(["q"]))


# A boot of the bench image under -icount shift=0,sleep=off (QEMU 7.2, TCG, pc): the TSC
# values are guest instruction counts since the reset.
ICOUNT_BOOT = ("SeaBIOS (version 1.16.2-debian-1.16.2-1)\nBooting from ROM..\n"
               "bootstats: tsc 999999 kHz (PIT calibration); times are microseconds since "
               "the TSC was 0 (VM reset)\n"
               "bootstats: entry      5803 us  (+0 us, tsc 5803587)\n"
               "bootstats: paging     7319 us  (+1515 us, tsc 7319329)\n"
               "bootstats: main       7435 us  (+116 us, tsc 7435633)\n"
               "net: en1 10.0.2.15/24 gateway 10.0.2.2\n")


class Icount(unittest.TestCase):
    def test_tsc_values(self):
        self.assertEqual(parse_bootstats_tsc(ICOUNT_BOOT),
                         {"entry": 5803587, "paging": 7319329, "main": 7435633})
        self.assertEqual(parse_bootstats_tsc("bootstats: tsc 999999 kHz (PIT)\n"), {})

    def test_counts(self):
        self.assertEqual(icount_counts(parse_bootstats_tsc(ICOUNT_BOOT)),
                         {"entry": 5803587, "entry_to_paging": 1515742, "main": 7435633})

    def test_counts_missing_or_out_of_order(self):
        self.assertIsNone(icount_counts({"entry": 5, "main": 9}))
        self.assertIsNone(icount_counts({"entry": 5, "paging": 4, "main": 9}))
        self.assertIsNone(icount_counts({"entry": 0, "paging": 4, "main": 9}))

    def test_spread(self):
        a = {"entry": 1000, "entry_to_paging": 100, "main": 2000}
        self.assertEqual(count_spread([a, dict(a)]),
                         {"spread": {"entry": 0, "entry_to_paging": 0, "main": 0},
                          "relative": 0.0})
        b = dict(a, entry_to_paging=102)
        s = count_spread([a, b, a])
        self.assertEqual(s["spread"]["entry_to_paging"], 2)
        self.assertAlmostEqual(s["relative"], 0.02)
        self.assertIsNone(count_spread([]))

    def test_us_times_1000_is_the_count(self):
        # microseconds truncated, at a calibrated ~1 GHz: within 0.02% here.
        for ratio in us_per_count(ICOUNT_BOOT).values():
            self.assertAlmostEqual(ratio, 1.0, delta=2e-4)

    def test_linux_command_line_gets_icount(self):
        args = ["/usr/bin/qemu-system-x86_64", "-accel", "tcg", "-serial", "file:/a/serial.log",
                "-kernel", "vmlinuz"]
        self.assertEqual(linux_icount_args(args, "/b/s.log"),
                         ["/usr/bin/qemu-system-x86_64", "-accel", "tcg", "-serial",
                          "file:/b/s.log", "-kernel", "vmlinuz", "-icount",
                          "shift=0,sleep=off"])
        self.assertIsNone(linux_icount_args(["bash", "run.sh"], "/b/s.log"))
        self.assertIsNone(linux_icount_args([], "/b/s.log"))
        self.assertIsNone(linux_icount_args(["qemu-system-x86_64", "-accel", "kvm"], "/s"))


class TapBackend(unittest.TestCase):
    def test_backends_default_order_and_repeats(self):
        self.assertEqual(tapnet.parse_backends("user,tap"), ["user", "tap"])
        self.assertEqual(tapnet.parse_backends("tap, user,tap"), ["user", "tap"])
        self.assertEqual(tapnet.parse_backends("tap"), ["tap"])
        self.assertEqual(tapnet.parse_backends("user"), ["user"])

    def test_backends_rejects_unknown_and_empty(self):
        for text in ("", " , ", "slirp", "user,bridge", None):
            with self.assertRaises(ValueError):
                tapnet.parse_backends(text)

    def test_unavailable_reasons(self):
        self.assertIsNone(tapnet.unavailable_reason(0, True, "/usr/sbin/ip", True))
        self.assertIn("root", tapnet.unavailable_reason(1000, True, "/usr/sbin/ip", True))
        self.assertIn("/dev/net/tun", tapnet.unavailable_reason(0, False, "/usr/sbin/ip", True))
        self.assertIn("iproute2", tapnet.unavailable_reason(0, True, None, True))
        self.assertIn("setns", tapnet.unavailable_reason(0, True, "/usr/sbin/ip", False))
        # The first missing piece is the one named.
        self.assertIn("root", tapnet.unavailable_reason(1000, False, None, False))

    def test_names_unique_per_pid(self):
        ns, tap = tapnet.names(4242)
        self.assertEqual(ns, "vmos-bench-4242")
        self.assertNotEqual(tapnet.names(4243)[0], ns)
        self.assertLessEqual(len(tap), 15)  # IFNAMSIZ - 1

    def test_netdev_arg(self):
        self.assertEqual(tapnet.netdev_arg("tap0"),
                         "tap,id=n0,ifname=tap0,script=no,downscript=no")

    def test_vmos_address_matches_the_namespace_and_linux_init(self):
        # bench/linux-guest/init sets 10.0.2.15/24 via 10.0.2.2; VMOS the same by ip=.
        self.assertEqual(tapnet.vmos_ip_option(), "ip=10.0.2.15/24,10.0.2.2")
        self.assertIn(" ip=10.0.2.15/24,10.0.2.2 -- ", VMOS_APPEND)
        with open(os.path.join(REPO, "bench", "linux-guest", "init")) as f:
            init = f.read()
        self.assertIn("ip addr add %s/%d dev eth0" % (tapnet.GUEST_ADDR, tapnet.PREFIX_LEN),
                      init)
        self.assertIn("ip route add default via %s" % tapnet.HOST_ADDR, init)

    def test_with_netdev_swaps_netdev_and_serial(self):
        args = ["/usr/bin/qemu-system-x86_64", "-m", "256M", "-serial", "file:/o/serial.log",
                "-netdev", "user,id=n0,hostfwd=tcp:127.0.0.1:4000-:80",
                "-device", "virtio-net-pci,netdev=n0,romfile=", "-kernel", "vmlinuz"]
        self.assertEqual(with_netdev(args, tapnet.netdev_arg("tap0"), "/b/s.log"),
                         ["/usr/bin/qemu-system-x86_64", "-m", "256M", "-serial",
                          "file:/b/s.log", "-netdev",
                          "tap,id=n0,ifname=tap0,script=no,downscript=no",
                          "-device", "virtio-net-pci,netdev=n0,romfile=", "-kernel",
                          "vmlinuz"])
        self.assertEqual(memory_of(with_netdev(args, "tap,id=n0", "/s")), 256)

    def test_with_netdev_refuses(self):
        self.assertIsNone(with_netdev(["bash", "run.sh", "-netdev", "user,id=n0"],
                                      "tap,id=n0", "/s"))
        self.assertIsNone(with_netdev(["qemu-system-x86_64", "-m", "256M"], "tap,id=n0", "/s"))
        self.assertIsNone(with_netdev([], "tap,id=n0", "/s"))
        # A different netdev id would leave the card without its backend.
        self.assertIsNone(with_netdev(["qemu-system-x86_64", "-netdev", "user,id=net0"],
                                      "tap,id=n0", "/s"))


class BackendRows(unittest.TestCase):
    def setUp(self):
        import bench  # bench/bench.py (its main() is not run)
        self.bench = bench

    def test_tap_rows(self):
        keys = [f["key"] for f in self.bench.figure_list()]
        tap = [f["key"] for f in self.bench.tap_figure_list()]
        self.assertEqual(tap, ["first_200_ms_tap"] + [
            p + c[0] + "_tap" for c in self.bench.WRK_CASES for p in ("rps_", "p50_", "p99_")])
        self.assertEqual(keys[-len(tap):], tap)  # after the user-networking rows
        self.assertEqual(len(set(keys)), len(keys))
        labels = [f["label"] for f in self.bench.tap_figure_list()]
        self.assertTrue(all(l.startswith(("tap: ", "  p")) for l in labels))

    def test_user_rows(self):
        user = self.bench.user_net_figures()
        self.assertNotIn("image_kib", user)
        self.assertFalse([k for k in user if k.endswith("_tap")])
        for k in ("first_200_ms", "mem_floor_mib", "peak_rss_mib", "icount_main", "rps_64k_ka"):
            self.assertIn(k, user)

    def test_backends_line(self):
        cfg = type("Cfg", (), {"backends": ["user", "tap"]})
        line = self.bench.backends_line(cfg, {"namespace": "vmos-bench-7", "tap": "tap0",
                                              "host_side": "10.0.2.2/24",
                                              "guest": "10.0.2.15:80"})
        self.assertIn("vmos-bench-7", line)
        self.assertIn("hostfwd", line)
        line = self.bench.backends_line(cfg, {"skipped": "no /dev/net/tun"})
        self.assertIn("not run: no /dev/net/tun", line)


def watched(*answers, step=0.5):
    """watch_summary of watcher GETs every step s, answered as given (True/False)."""
    return liveness.watch_summary([(i * step, i * step + 0.01, ok)
                                   for i, ok in enumerate(answers)])


ANSWERED = {"answered": True, "gets": 1, "waited_s": 0.01, "last": 200}
SILENT = {"answered": False, "gets": 4, "waited_s": 6.0, "last": "timed out"}


class Stops(unittest.TestCase):
    def outcome(self, name):
        return liveness.wrk_outcome(sample(name))

    def test_outcome_kinds(self):
        ok = self.outcome("host-keepalive.txt")
        self.assertEqual((ok["kind"], ok["reason"]), ("ok", None))
        self.assertFalse(liveness.got_nothing(ok))
        deaf = self.outcome("deaf-0-requests.txt")
        self.assertEqual(deaf["kind"], "ok")  # wrk prints figures: all zero
        self.assertEqual(deaf["result"]["requests_per_s"], 0)
        self.assertTrue(liveness.got_nothing(deaf))
        self.assertIn("0 requests", deaf["reason"])
        refused = liveness.wrk_outcome("", sample("refused.txt"))
        self.assertEqual(refused["kind"], "no-figures")
        self.assertIn("Connection refused", refused["reason"])
        self.assertTrue(liveness.got_nothing(refused))
        hung = liveness.wrk_outcome("", hung_after_s=30)
        self.assertEqual((hung["kind"], hung["reason"]),
                         ("hung", "wrk did not finish within 30 s"))
        self.assertTrue(liveness.got_nothing(hung))
        missing = liveness.wrk_outcome("", error="wrk is not installed")
        self.assertEqual(missing["kind"], "error")
        self.assertFalse(liveness.got_nothing(missing))

    def test_answering_run_is_not_a_stop(self):
        self.assertIsNone(liveness.judge(self.outcome("vmos-tcg-keepalive.txt"),
                                         watched(True, True, True, True), ANSWERED))

    def test_timeouts_with_an_answer_after_are_not_a_stop(self):
        # wrk timed out 6 requests and the watcher's last GET went unanswered (load), but
        # the follow-up GET answered: a note under the table, not a stop.
        self.assertIsNone(liveness.judge(self.outcome("vmos-tcg-close-64k-timeouts.txt"),
                                         watched(True, True, False, True, False), ANSWERED))

    def test_no_answer_after_is_a_stop_at_the_last_watcher_answer(self):
        # wrk's own figures look healthy (the server answered for the first second).
        outcome = self.outcome("stops-mid-run.txt")
        self.assertFalse(liveness.got_nothing(outcome))
        stop = liveness.judge(outcome, watched(True, True, True, False), SILENT)
        self.assertIsNotNone(stop)
        self.assertEqual(stop["seconds"], 1.01)
        self.assertFalse(stop["answered_after"])
        self.assertIn("no HTTP answer to 4 GETs", stop["evidence"][0])
        self.assertIn("27097 requests", stop["evidence"][1])
        self.assertIn("3 of 4 GETs answered", stop["evidence"][2])

    def test_zero_requests_and_a_silent_watcher_is_a_stop_even_if_it_answers_later(self):
        stop = liveness.judge(self.outcome("deaf-0-requests.txt"),
                              watched(True, False, False, False), ANSWERED)
        self.assertEqual((stop["seconds"], stop["answered_after"]), (0.01, True))

    def test_zero_requests_while_the_small_page_answers_is_not_a_stop(self):
        # The phase's figures fail (no 0 req/s), but the subject kept answering.
        self.assertIsNone(liveness.judge(self.outcome("deaf-0-requests.txt"),
                                         watched(True, True, True), ANSWERED))

    def test_refused_or_hung_and_no_answer_is_a_stop_of_unknown_time(self):
        for outcome in (liveness.wrk_outcome("", sample("refused.txt")),
                        liveness.wrk_outcome("", hung_after_s=30)):
            stop = liveness.judge(outcome, watched(False, False), SILENT)
            self.assertIsNone(stop["seconds"])
            self.assertIn(outcome["reason"], stop["evidence"])
            self.assertIn("the last answer never", stop["evidence"][-1])

    def test_wrk_that_could_not_run_says_nothing(self):
        self.assertIsNone(liveness.judge(liveness.wrk_outcome("", error="no wrk"),
                                         watched(), SILENT))

    def test_watch_summary(self):
        w = liveness.watch_summary([(0.0, 0.1, True), (0.5, 0.6, True), (1.0, 3.0, False),
                                    (3.0, 5.0, False)])
        self.assertEqual(w, {"gets": 4, "answered": 2, "last_answer_s": 0.6,
                             "last_answered": False, "longest_gap_s": 4.4})
        self.assertEqual(liveness.watch_summary([])["last_answer_s"], None)
        self.assertFalse(liveness.watch_summary([])["last_answered"])

    def test_stop_lines(self):
        self.assertEqual(
            liveness.stop_line("VMOS", 2, "64 KiB, Connection: close", "user", 7.06, 10),
            "VMOS stopped answering in run 2, phase 64 KiB, Connection: close (user "
            "networking), after 7.1 s")
        self.assertEqual(
            liveness.stop_line("Linux guest", 1, "611 B, keep-alive", "tap", None, 10),
            "Linux guest stopped answering in run 1, phase 611 B, keep-alive (tap), "
            "within the 10 s phase")
        self.assertTrue(liveness.stop_line("VMOS", 1, "x", "tap", 1, 2, True).endswith(
            "after 1.0 s (it answered again after the phase)"))
        self.assertEqual(liveness.stop_note("L", 3), "L: run 3 left out from that phase on")

    def test_exit_status(self):
        ok = ["ok 1 - a", "ok 2 - b # SKIP no tap"]
        self.assertEqual(liveness.exit_status(ok, []), 0)
        self.assertEqual(liveness.exit_status(ok + ["not ok 3 - c"], []), 1)
        self.assertEqual(liveness.exit_status(ok, [{"line": "VMOS stopped ..."}]), 1)

    def test_watcher_records_the_last_answer_and_stops(self):
        calls = []

        def get(port, path, timeout, host):
            calls.append((host, port, path, timeout))
            return (200, 611) if len(calls) <= 3 else (None, "timed out")

        w = liveness.Watcher("10.0.2.15", 80, "/index.html", 30, period_s=0.02,
                             get=get).start()
        import time
        time.sleep(0.3)
        summary = w.stop()
        self.assertFalse(w._thread.is_alive())
        self.assertEqual(calls[0], ("10.0.2.15", 80, "/index.html", 2.0))
        self.assertEqual(summary["answered"], 3)
        self.assertGreater(summary["gets"], 5)
        self.assertFalse(summary["last_answered"])
        self.assertTrue(0.03 <= summary["last_answer_s"] < 0.2, summary)
        n = len(calls)
        time.sleep(0.05)
        self.assertEqual(len(calls), n)  # no GET after stop()

    def test_watcher_count_is_bounded(self):
        w = liveness.Watcher("h", 1, "/", 0.1, period_s=0.01,
                             get=lambda *a, **k: (200, 1)).start()
        w._thread.join(2)
        self.assertFalse(w._thread.is_alive())
        self.assertLessEqual(w.stop()["gets"], 11)

    def test_answers_after(self):
        clock = {"t": 0.0}

        def tick(s):
            clock["t"] += s

        def get_never(port, path, timeout, host):
            tick(timeout)
            return None, "timed out"

        r = liveness.answers_after("h", 1, "/", get=get_never, clock=lambda: clock["t"],
                                   sleep=tick)
        self.assertFalse(r["answered"])
        self.assertEqual(r["gets"], 3)  # 2 s each, 0.5 s apart, within 6 s
        self.assertLessEqual(r["waited_s"], 7.0)
        self.assertEqual(r["last"], "timed out")
        answers = [(None, "timed out"), (404, 0)]
        clock["t"] = 0.0
        r = liveness.answers_after("h", 1, "/", get=lambda *a, **k: answers.pop(0),
                                   clock=lambda: clock["t"], sleep=tick)
        self.assertEqual((r["answered"], r["gets"], r["last"]), (True, 2, 404))


class StopTable(unittest.TestCase):
    def test_answered_runs_with_a_footnote_and_stopped_cells(self):
        note = "VMOS stopped answering in run 2, ...: run 2 left out from that phase on"
        text = table.render(FIGS, {
            "t": {"vmos": dict(stats.summarize([30, 40]), notes=[note]),
                  "linux": stats.summarize([100]), "host": {"na": "not a VM"}},
            "r": {"vmos": {"na": note, "stopped": True, "notes": [note]},
                  "linux": stats.summarize([1000]), "host": stats.summarize([5])},
        }, COLS, "linux", ratio_title="vs Linux")
        lines = text.splitlines()
        self.assertIn("35 (30-40) [1]", lines[2])
        self.assertIn("x0.35 better", lines[2])
        self.assertIn("stopped [1]", lines[3])
        self.assertNotIn("n/a [1]", text)
        self.assertIn("[1] " + note, lines)
        self.assertIn("[2] not a VM", lines)


class FakeInstance:
    host, port, started, pid = "127.0.0.1", 1, 0.0, None

    def __init__(self, log):
        self.log = log

    def alive(self):
        return True

    def ready(self):
        return True

    def milestones(self):
        return {"entry": 1.0, "main": 2.0}

    def peak_rss_mib(self):
        return 50.0

    def log_tail(self):
        return "httpd: serving"

    def stop(self):
        self.log.append("stop")


class MeasureRuns(unittest.TestCase):
    """bench.measure_runs with a fake subject and scripted phases: no VM, no network."""

    def setUp(self):
        import bench
        self.bench = bench
        self.log = []
        self.subj = type("Subj", (), {"key": "vmos", "title": "VMOS",
                                      "start": lambda s, mem: self.start()})()
        self.cfg = type("Cfg", (), {"runs": 3, "mem_mib": 256, "boot_limit_s": 1,
                                    "wrk_seconds": 10, "connections": 16, "threads": 1})()

    def start(self):
        self.log.append("start")
        return FakeInstance(self.log)

    def measure(self, dead):
        """dead: {(run, case index)}: phases where the subject stops answering."""
        healthy = liveness.wrk_outcome(sample("vmos-tcg-keepalive.txt"))
        deaf = liveness.wrk_outcome(sample("deaf-0-requests.txt"))
        n = {"phase": 0}

        def phase(host, port, path, close, cfg):
            run, case = divmod(n["phase"], 4)
            self.log.append("phase")
            if (len([x for x in self.log if x == "start"]), case) in dead:
                # the rest of this run's phases are skipped: renumber from the next run
                n["phase"] = (run + 1) * 4
                return {"wrk": deaf, "watch": watched(True, True, False), "after": SILENT}
            n["phase"] += 1
            return {"wrk": healthy, "watch": watched(True, True), "after": ANSWERED}

        sizes = {self.bench.SMALL_PAGE: self.bench.SMALL_SIZE,
                 self.bench.BIG_FILE: self.bench.BIG_SIZE}
        col = self.bench.Collector()
        with mock.patch.object(self.bench, "run_phase", phase), \
                mock.patch.object(self.bench.probe, "wait_first_200",
                                  lambda *a, **k: 100.0), \
                mock.patch.object(self.bench.probe, "http_get",
                                  lambda port, path, **k: (200, sizes[path])), \
                mock.patch.object(self.bench, "log", lambda msg: None):
            self.bench.measure_runs(self.subj, self.cfg, col)
        return col

    def test_a_stop_ends_its_run_and_leaves_it_out(self):
        col = self.measure({(2, 2)})  # run 2, 64 KiB keep-alive
        self.assertEqual(self.log.count("start"), 3)
        self.assertEqual(self.log.count("stop"), 3)  # every VM stopped, a fresh one per run
        self.assertEqual(self.log.count("phase"), 4 + 3 + 4)  # nothing after the stop
        self.assertEqual(len(col.stops), 1)
        stop = col.stops[0]
        self.assertEqual((stop["subject"], stop["run"], stop["phase"], stop["backend"],
                          stop["seconds"]), ("vmos", 2, "64 KiB, keep-alive", "user", 0.51))
        self.assertEqual(stop["line"], "VMOS stopped answering in run 2, phase 64 KiB, "
                         "keep-alive (user networking), after 0.5 s")
        self.assertEqual(col.values["rps_small_ka"]["vmos"], [5218.77] * 3)
        self.assertEqual(col.values["rps_64k_ka"]["vmos"], [5218.77] * 2)  # no 0 req/s
        self.assertEqual(len(col.values["peak_rss_mib"]["vmos"]), 2)
        figs = self.bench.figure_list()
        results = col.results(figs, ["vmos", "linux", "host"])
        self.assertEqual(results["rps_64k_close"]["vmos"]["n"], 2)
        self.assertEqual(results["rps_64k_close"]["vmos"]["notes"], [stop["note"]])
        self.assertNotIn("notes", results["rps_small_close"]["vmos"])
        lines = table.render(figs, results, COLS, "linux").splitlines()
        n = [l.split(" ", 1)[0] for l in lines if l.endswith(stop["note"])]
        self.assertEqual(len(n), 1)  # one footnote for the stop
        rows = {l.split("  ")[0]: l for l in lines}
        self.assertIn("5219 " + n[0], rows["wrk 64 KiB, keep-alive (req/s)"])
        self.assertIn("5219 " + n[0], rows["wrk 64 KiB, Connection: close (req/s)"])
        self.assertIn("50 " + n[0], rows["peak RSS: QEMU (native: the server) (MiB)"])
        self.assertNotIn("5219 [", rows["wrk 611 B, Connection: close (req/s)"])

    def test_stopped_in_every_run(self):
        col = self.measure({(1, 0), (2, 0), (3, 0)})
        self.assertEqual(self.log.count("phase"), 3)
        self.assertEqual([s["run"] for s in col.stops], [1, 2, 3])
        self.assertNotIn("rps_small_ka", col.values)
        results = col.results(self.bench.figure_list(), ["vmos", "linux", "host"])
        cell = results["rps_64k_close"]["vmos"]
        self.assertTrue(cell["stopped"])
        self.assertEqual(len(cell["notes"]), 3)
        lines = table.render(self.bench.figure_list(), results, COLS, "linux").splitlines()
        refs = ",".join(l[1:l.index("]")] for l in lines if l.endswith("left out from that phase on"))
        rows = {l.split("  ")[0]: l for l in lines}
        self.assertEqual(len(refs.split(",")), 3)
        for label in ("wrk 611 B, keep-alive (req/s)", "wrk 64 KiB, Connection: close (req/s)"):
            self.assertIn("stopped [%s]" % refs, rows[label])
        self.assertEqual(len([l for l in lines if "stopped [%s]" % refs in l]), 4 * 3 + 1)

    def test_a_complete_run(self):
        col = self.measure(set())
        self.assertEqual(col.stops, [])
        self.assertEqual(self.log.count("phase"), 12)
        self.assertEqual(col.values["rps_64k_close"]["vmos"], [5218.77] * 3)
        self.assertEqual(liveness.exit_status(["ok 1 - x"], col.stops), 0)


if __name__ == "__main__":
    sys.exit(tapresult.run_module(__name__, "bench"))
