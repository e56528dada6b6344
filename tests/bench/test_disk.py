#!/usr/bin/env python3
"""test_disk.py - unit tests of bench/disk.py's pure pieces (run by
tests/bench/bench-tests.sh): diskbench's and speedtest1's output parsed from real runs in
tests/bench/samples/ (VMOS and the Linux guest), and the rows. One TAP line per test."""
import os
import sys
import unittest

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "bench"))
sys.path.insert(0, HERE)

import disk  # noqa: E402
import tapresult  # noqa: E402


def sample(name):
    with open(os.path.join(HERE, "samples", name)) as f:
        return f.read()


class Parse(unittest.TestCase):
    def test_diskbench_vmos(self):
        got = disk.parse("diskbench", sample("diskbench-vmos.log"))
        self.assertEqual(sorted(got), ["rand_read", "seq_read", "seq_write"])
        self.assertTrue(all(v > 0 for v in got.values()))

    def test_diskbench_linux(self):
        got = disk.parse("diskbench", sample("diskbench-linux.log"))
        self.assertEqual(sorted(got), ["rand_read", "seq_read", "seq_write"])

    def test_diskbench_cut_short(self):
        got = disk.parse("diskbench", "diskbench: seq-write 73.4 MB/s\nkernel: exit 1\n")
        self.assertEqual(got, {"seq_write": 73.4})

    def test_speedtest1(self):
        got = disk.parse("speedtest1", sample("speedtest1-vmos.txt"))
        self.assertIn("speedtest1_s", got)


class Rows(unittest.TestCase):
    def test_every_program_has_rows(self):
        for program in disk.PROGRAMS:
            keys = [k for k, _, _, _ in disk.FIGURES[program]]
            self.assertTrue(keys)
            self.assertEqual(len(keys), len(set(keys)))


if __name__ == "__main__":
    sys.exit(tapresult.run_module(__name__, "disk"))
