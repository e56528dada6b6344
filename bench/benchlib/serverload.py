"""serverload.py - the ported servers' own load generators and what they print, for
bench/servers.py: redis-benchmark's --csv lines, memcslap's timing lines, speedtest1's
TOTAL line, and one-line probes of redis and memcached over plain sockets.
"""
import csv
import io
import re
import socket
import time


class ParseError(ValueError):
    """The tool's output lacks the line a figure needs."""


def redis_benchmark_rps(text):
    """{'SET': requests/s, 'GET': requests/s} from `redis-benchmark --csv` (redis 7: a
    header line "test","rps",... then one line per test)."""
    rates = {}
    for row in csv.reader(io.StringIO(text)):
        if len(row) >= 2 and row[0] != "test":
            try:
                rates[row[0]] = float(row[1])
            except ValueError:
                continue
    if not rates:
        raise ParseError("no test line in redis-benchmark's --csv output")
    return rates


def memcslap_ops_per_s(text, test):
    """Keys per second of memcslap's --test=@test phase, from its line
    "Time to get 2000 keys by 4 threads: 1.472 seconds."."""
    m = re.search(r"Time to %s\s+(\d+) keys by\s+\d+ threads:\s+([0-9.]+) seconds" % test, text)
    if not m:
        raise ParseError("no 'Time to %s N keys by M threads' line in memcslap's output" % test)
    keys, seconds = int(m.group(1)), float(m.group(2))
    if seconds <= 0:
        raise ParseError("memcslap reports %s seconds" % m.group(2))
    return keys / seconds


def speedtest1_total_s(text):
    """speedtest1's own total time, in seconds, from its line "TOTAL....... 12.345s"
    (measured with the guest's clock)."""
    m = re.search(r"TOTAL\.+\s*([0-9]+(?:\.[0-9]+)?)s", text)
    if not m:
        raise ParseError("no TOTAL line in speedtest1's output")
    return float(m.group(1))


def exchange(host, port, request, expect, timeout):
    """Send @request and read until @expect (bytes) is in the answer: True, or False when
    the connection fails, closes or @timeout seconds pass first."""
    deadline = time.monotonic() + timeout
    try:
        with socket.create_connection((host, port), timeout=timeout) as s:
            s.sendall(request)
            data = b""
            while expect not in data:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                s.settimeout(left)
                chunk = s.recv(4096)
                if not chunk:
                    return False
                data += chunk
            return True
    except OSError:
        return False


def redis_ping(host, port, timeout):
    return exchange(host, port, b"PING\r\n", b"+PONG", timeout)


def memcached_version(host, port, timeout):
    return exchange(host, port, b"version\r\n", b"VERSION ", timeout)
