"""tapresult.py - runs a unittest module's tests and prints one TAP line per test
("ok N - PREFIX: Class.test"), with the last lines of a failure's traceback as comments.
Shared by tests/bench/test_bench.py and test_soak.py."""
import sys
import traceback
import unittest


class TapResult(unittest.TestResult):
    def __init__(self, prefix):
        super().__init__()
        self.prefix = prefix
        self.n = 0
        self.bad = 0

    def line(self, ok, test, err=None):
        self.n += 1
        name = "%s: %s.%s" % (self.prefix, type(test).__name__, test._testMethodName)
        print("%s %d - %s" % ("ok" if ok else "not ok", self.n, name))
        if err:
            self.bad += 1
            for l in "".join(traceback.format_exception(*err)).splitlines()[-8:]:
                print("#   " + l)

    def addSuccess(self, test):
        self.line(True, test)

    def addFailure(self, test, err):
        self.line(False, test, err)

    def addError(self, test, err):
        self.line(False, test, err)


def run_module(name, prefix):
    """Runs every test of module name (sys.modules) with TAP lines; returns the exit
    status: 1 when a test failed, else 0."""
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[name])
    result = TapResult(prefix)
    suite.run(result)
    return 1 if result.bad else 0
