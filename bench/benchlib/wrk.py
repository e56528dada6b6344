"""wrk.py - wrk's command line and its --latency output.

parse(text) reads what `wrk --latency` prints (wrk 4.x):

    Running 2s test @ http://127.0.0.1:28080/index.html
      2 threads and 16 connections
      Thread Stats   Avg      Stdev     Max   +/- Stdev
        Latency   734.07us  795.62us   8.68ms   90.02%
      ...
      Latency Distribution
         50%  501.00us
         99%    4.33ms
      55448 requests in 2.00s, 42.09MB read
      Socket errors: connect 0, read 0, write 0, timeout 3
      Non-2xx or 3xx responses: 2
    Requests/sec:  27692.85

and returns the figures in plain units: requests per second, latencies in milliseconds.
"""
import re

# wrk's units (src/units.c): time in us/ms/s/m/h, counts with k/M/G/T (powers of 1000),
# bytes with KB/MB/GB/TB (powers of 1024).
_TIME_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}
_COUNT = {"": 1, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12}
_BYTES = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3, "TB": 1024**4}


class ParseError(ValueError):
    """wrk's output lacks a line the figures need (wrk failed, or is not wrk 4.x)."""


def time_ms(text):
    """'734.07us' -> 0.73407, '4.33ms' -> 4.33, '1.02s' -> 1020.0 (milliseconds)."""
    m = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)(us|ms|s|m|h)", text.strip())
    if not m:
        raise ParseError("not a wrk time: %r" % text)
    return float(m.group(1)) * _TIME_MS[m.group(2)]


def count(text):
    """'13.92k' -> 13920.0, '620.23' -> 620.23."""
    m = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)([kMGT]?)", text.strip())
    if not m:
        raise ParseError("not a wrk count: %r" % text)
    return float(m.group(1)) * _COUNT[m.group(2)]


def size_bytes(text):
    """'42.09MB' -> 44134318.08, '512.00B' -> 512.0."""
    m = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)(B|KB|MB|GB|TB)", text.strip())
    if not m:
        raise ParseError("not a wrk size: %r" % text)
    return float(m.group(1)) * _BYTES[m.group(2)]


def parse(text):
    """The figures of one wrk --latency run: a dict with requests_per_s, latency_ms
    ({'50': ..., '75': ..., '90': ..., '99': ...}), latency_avg_ms, latency_max_ms,
    requests, duration_s, read_bytes, errors ({'connect','read','write','timeout'}),
    non_2xx_3xx, threads, connections. Raises ParseError when the Requests/sec line or the
    latency distribution is missing."""
    result = {
        "errors": {"connect": 0, "read": 0, "write": 0, "timeout": 0},
        "non_2xx_3xx": 0,
        "latency_ms": {},
    }
    in_distribution = False
    for line in text.splitlines():
        s = line.strip()
        if s == "Latency Distribution":
            in_distribution = True
            continue
        if in_distribution:
            m = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)%\s+(\S+)", s)
            if m:
                key = m.group(1)
                if key.endswith(".000"):
                    key = key[:-4]
                result["latency_ms"][key] = time_ms(m.group(2))
                continue
            in_distribution = False
        m = re.fullmatch(r"(\d+) threads and (\d+) connections", s)
        if m:
            result["threads"] = int(m.group(1))
            result["connections"] = int(m.group(2))
            continue
        m = re.fullmatch(r"Latency\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)%", s)
        if m:
            result["latency_avg_ms"] = time_ms(m.group(1))
            result["latency_max_ms"] = time_ms(m.group(3))
            continue
        m = re.fullmatch(r"(\d+) requests in (\S+), (\S+) read", s)
        if m:
            result["requests"] = int(m.group(1))
            result["duration_s"] = time_ms(m.group(2)) / 1000.0
            result["read_bytes"] = size_bytes(m.group(3))
            continue
        m = re.fullmatch(
            r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", s)
        if m:
            for name, value in zip(("connect", "read", "write", "timeout"), m.groups()):
                result["errors"][name] = int(value)
            continue
        m = re.fullmatch(r"Non-2xx or 3xx responses: (\d+)", s)
        if m:
            result["non_2xx_3xx"] = int(m.group(1))
            continue
        m = re.fullmatch(r"Requests/sec:\s+([0-9.]+)", s)
        if m:
            result["requests_per_s"] = float(m.group(1))
    if "requests_per_s" not in result:
        raise ParseError("no 'Requests/sec:' line in wrk's output")
    if "50" not in result["latency_ms"] or "99" not in result["latency_ms"]:
        raise ParseError("no latency distribution (50%% and 99%%) in wrk's output")
    return result


def command(url, duration_s, connections, threads, close=False, timeout_s=5):
    """wrk's argument list for one run: --latency, a fixed duration, connection and thread
    count; close adds 'Connection: close' (a new connection per request)."""
    threads = max(1, min(threads, connections))
    args = ["wrk", "--latency", "-t", str(threads), "-c", str(connections),
            "-d", "%ds" % duration_s, "--timeout", "%ds" % timeout_s]
    if close:
        args += ["-H", "Connection: close"]
    return args + [url]
