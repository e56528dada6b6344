#!/usr/bin/env python3
"""test_servers.py - unit tests of bench/servers.py's pure pieces (run by
tests/bench/bench-tests.sh): the load tools' parsers on real output in tests/bench/samples/
(redis-benchmark --csv, memcslap, speedtest1 under VMOS), the rows of each server and the
targets' check. One TAP line per test."""
import os
import sys
import unittest

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "bench"))
sys.path.insert(0, HERE)

import servers  # noqa: E402
import tapresult  # noqa: E402
from benchlib import serverload  # noqa: E402


def sample(name):
    with open(os.path.join(HERE, "samples", name)) as f:
        return f.read()


class Parsers(unittest.TestCase):
    def test_redis_benchmark_csv(self):
        rates = serverload.redis_benchmark_rps(sample("redis-benchmark.csv"))
        self.assertEqual(rates, {"SET": 10582.01, "GET": 14084.51})

    def test_redis_benchmark_without_lines(self):
        with self.assertRaises(serverload.ParseError):
            serverload.redis_benchmark_rps('"test","rps"\n')

    def test_memcslap(self):
        text = sample("memcslap-get.txt")
        self.assertAlmostEqual(serverload.memcslap_ops_per_s(text, "get"), 800 / 1.225)
        with self.assertRaises(serverload.ParseError):
            serverload.memcslap_ops_per_s(text, "set")  # only the set-up load, not a test

    def test_speedtest1_total(self):
        self.assertEqual(serverload.speedtest1_total_s(sample("speedtest1-vmos.txt")), 6.783)
        with self.assertRaises(serverload.ParseError):
            serverload.speedtest1_total_s("kernel: exit 1\n")


class Rows(unittest.TestCase):
    def test_every_server_has_size_and_floor(self):
        for server in servers.SERVERS:
            keys = [k for k, _, _, _ in servers.figures_of(server)]
            self.assertEqual(keys[:2], ["image_kib", "mem_floor_mib"])
            self.assertEqual(len(keys), len(set(keys)))

    def test_targets_name_existing_rows(self):
        for server, key, _, _, _ in servers.TARGETS:
            self.assertIn(key, [k for k, _, _, _ in servers.figures_of(server)])

    def test_targets_check(self):
        def cell(v):
            return {"median": v, "min": v, "max": v, "n": 1}
        results = {"redis": {"redis_set": {"vmos": cell(30000), "linux": cell(10000)},
                             "redis_get": {"vmos": cell(15000), "linux": cell(10000)}},
                   "speedtest1": {"speedtest1_s": {"vmos": cell(10.5), "linux": cell(10.0)}},
                   "nginx": {"image_kib": {"vmos": cell(1535)}}}
        lines = servers.check_targets(results)
        self.assertIn("target: redis SET at least 2x: x3.00, met", lines)
        self.assertIn("target: redis GET at least 2x: x1.50, MISSED", lines)
        self.assertIn("target: speedtest1 within 10% of the Linux guest: x1.05, met", lines)
        self.assertIn("target: nginx image at most 1 MB: 1535, MISSED", lines)
        self.assertIn("target: memcached get at least 2x: n/a (a figure is missing)", lines)


if __name__ == "__main__":
    sys.exit(tapresult.run_module(__name__, "servers"))
