"""soakload.py - make soak's load on one server (one backend), on an asyncio event loop
of the calling thread (sockets are made by that thread, so a thread inside a network
namespace loads the server inside it). Standard library only.

The clients (all checked: status 200, Content-Length, and every body byte against the
document root's file):

    small_ka     keep-alive connections fetching /index.html, one request after another
    big_ka       keep-alive connections fetching /64k.bin
    small_close  'Connection: close', one connection per request, /index.html
    big_close    the same for /64k.bin
    probe        the prober: GET /index.html (close) every 0.25 s, 5 s timeout
    abort        every abort_every s, one connection that sends GET /64k.bin and drops it
                 mid-response, by turns: closes after reading part (close_partial),
                 resets after reading part (rst_partial, SO_LINGER 0), resets right after
                 sending (rst_at_once), reads part then stops reading for 2 s and closes
                 (stall_then_close)

Every completed response (prober's too) goes to the GapTracker. Every loop ends at the
deadline (or stop()) and after max_requests; every wait has a timeout.
"""
import asyncio
import errno
import random
import socket
import struct
import time

from . import soaklib

REQ_TIMEOUT_S = 10.0
CONNECT_TIMEOUT_S = 5.0
PROBE_EVERY_S = 0.25
PROBE_TIMEOUT_S = 5.0
EOF_WAIT_S = 5.0
PAUSE_S = 0.05          # loop wake-ups later than this are recorded as client pauses
MAX_PAUSES = 20000
ABORT_MODES = ("close_partial", "rst_partial", "rst_at_once", "stall_then_close")


class Answer(Exception):
    """A wrong answer: kind is one of soaklib.ERROR_KINDS."""

    def __init__(self, kind, detail):
        super().__init__(detail)
        self.kind = kind


def mix(connections):
    """The steady clients for a total of connections (at least 4): {kind: count}, 30%
    small keep-alive, 20% 64 KiB keep-alive, the rest split between the close kinds."""
    n = max(4, int(connections))
    ka_small = max(1, round(n * 0.3))
    ka_big = max(1, round(n * 0.2))
    rest = n - ka_small - ka_big
    close_small = max(1, rest // 2)
    return {"small_ka": ka_small, "big_ka": ka_big, "small_close": close_small,
            "big_close": max(1, rest - close_small)}


def classify(exc):
    """The error kind of an exception from a request."""
    if isinstance(exc, Answer):
        return exc.kind
    if isinstance(exc, ConnectionRefusedError):
        return "refused"
    if isinstance(exc, (asyncio.TimeoutError, TimeoutError)):
        return "timeout"
    if isinstance(exc, (ConnectionResetError, BrokenPipeError, ConnectionAbortedError)):
        return "reset"
    if isinstance(exc, asyncio.IncompleteReadError):
        return "closed" if not exc.partial else "short_body"
    if isinstance(exc, OSError) and exc.errno in (errno.ECONNRESET, errno.EPIPE):
        return "reset"
    return "other"


def parse_head(head):
    """(status, headers dict with lower-case names) of a response head (bytes up to and
    including the blank line); raises Answer('bad_status') when it is not HTTP."""
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
        raise Answer("bad_status", "not an HTTP status line: %r" % lines[0][:80])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    return int(parts[1]), headers


def request_bytes(path, host, close):
    return ("GET %s HTTP/1.1\r\nHost: %s\r\n%s\r\n"
            % (path, host, "Connection: close\r\n" if close else "")).encode()


class Load:
    """The load on host:port until deadline (time.monotonic()). files: {path: bytes}
    with /index.html and /64k.bin. on_tick(load) is called about every 0.5 s from the loop
    (the console reader, the progress line, the stop conditions); it may call stop()."""

    def __init__(self, host, port, files, origin, deadline, connections=20, abort_every=5.0,
                 max_requests=10_000_000, on_tick=None, seed=1):
        self.host, self.port, self.files = host, port, files
        self.origin, self.deadline = origin, deadline
        self.counts = mix(connections)
        self.abort_every = abort_every
        self.max_requests = max_requests
        self.on_tick = on_tick
        self.rng = random.Random(seed)
        self.gaps = soaklib.GapTracker(origin)
        self.ok = {k: 0 for k in ("small_ka", "big_ka", "small_close", "big_close", "probe")}
        self.lat_max = {}
        self.errors = {}
        self.first_errors = []
        self.aborts = {m: 0 for m in ABORT_MODES}
        self.probe_lat = []
        self.probe_connect = []  # the prober's connect() times: the host's share of its latency
        self.lag_max = 0.0
        self.pauses = []
        self.cpu_s = None
        self.no_eof = 0
        self.stopped = None
        self.ended = None

    # -- bookkeeping --------------------------------------------------------------------

    def now(self):
        return time.monotonic()

    def done(self):
        return self.stopped is not None or self.now() >= self.deadline

    def stop(self, why):
        if self.stopped is None:
            self.stopped = why

    def success(self, kind, t0):
        t = self.now()
        self.gaps.add(t)
        self.ok[kind] += 1
        lat = t - t0
        if lat > self.lat_max.get(kind, 0.0):
            self.lat_max[kind] = lat
        if kind == "probe":
            self.probe_lat.append(lat)

    def error(self, kind, exc):
        what = classify(exc)
        by = self.errors.setdefault(kind, {})
        by[what] = by.get(what, 0) + 1
        if len(self.first_errors) < 30:
            self.first_errors.append({"at_s": round(self.now() - self.origin, 3), "kind": kind,
                                      "error": what, "detail": "%s: %s" % (
                                          type(exc).__name__, str(exc)[:160])})
        return what

    # -- connections --------------------------------------------------------------------

    async def connect(self, limit=1 << 17):
        """A connection made by this thread (its network namespace), as asyncio streams."""
        loop = asyncio.get_running_loop()
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        try:
            await asyncio.wait_for(loop.sock_connect(s, (self.host, self.port)),
                                   CONNECT_TIMEOUT_S)
        except (asyncio.TimeoutError, TimeoutError):
            s.close()
            raise Answer("connect_timeout", "no connection within %g s" % CONNECT_TIMEOUT_S)
        except BaseException:
            s.close()
            raise
        return await asyncio.open_connection(sock=s, limit=limit)

    async def exchange(self, reader, writer, path, close):
        """One request and its checked response; returns True when the server said it
        closes the connection."""
        writer.write(request_bytes(path, self.host, close))
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        status, headers = parse_head(head)
        if status != 200:
            raise Answer("bad_status", "status %d for %s" % (status, path))
        want = self.files[path]
        clen = headers.get("content-length")
        if clen is None or not clen.isdigit() or int(clen) != len(want):
            raise Answer("bad_body", "Content-Length %r for %s (%d expected)"
                         % (clen, path, len(want)))
        try:
            body = await reader.readexactly(len(want))
        except asyncio.IncompleteReadError as e:
            raise Answer("short_body", "%d of %d body bytes of %s" % (len(e.partial),
                                                                     len(want), path))
        if body != want:
            at = next(i for i in range(len(want)) if body[i] != want[i])
            raise Answer("bad_body", "%s differs from byte %d" % (path, at))
        return headers.get("connection", "").lower() == "close"

    @staticmethod
    def drop(writer):
        if writer is not None:
            try:
                writer.transport.abort()
            except Exception:  # noqa: BLE001 - already gone
                pass

    async def backoff(self, n):
        await asyncio.sleep(min(1.0, 0.05 * (2 ** min(n, 5))))

    # -- clients ------------------------------------------------------------------------

    async def keepalive_client(self, kind, path):
        writer = reader = None
        fails = 0
        for _ in range(self.max_requests):
            if self.done():
                break
            t0 = self.now()
            try:
                if writer is None:
                    reader, writer = await self.connect()
                closes = await asyncio.wait_for(self.exchange(reader, writer, path, False),
                                                REQ_TIMEOUT_S)
                self.success(kind, t0)
                fails = 0
                if closes:
                    writer.close()
                    writer = None
            except Exception as e:  # noqa: BLE001 - every failure is counted
                self.error(kind, e)
                self.drop(writer)
                writer = None
                fails += 1
                await self.backoff(fails)
        self.drop(writer)

    async def close_client(self, kind, path):
        fails = 0
        for _ in range(self.max_requests):
            if self.done():
                break
            t0 = self.now()
            writer = None
            try:
                reader, writer = await self.connect()
                await asyncio.wait_for(self.exchange(reader, writer, path, True), REQ_TIMEOUT_S)
                self.success(kind, t0)
                fails = 0
                # The server closes first (no TIME-WAIT on this side, no port exhaustion).
                try:
                    rest = await asyncio.wait_for(reader.read(1024), EOF_WAIT_S)
                    if rest:
                        self.no_eof += 1
                except (asyncio.TimeoutError, TimeoutError, OSError):
                    self.no_eof += 1
                writer.close()
                writer = None
            except Exception as e:  # noqa: BLE001
                self.error(kind, e)
                self.drop(writer)
                fails += 1
                await self.backoff(fails)

    async def prober(self):
        next_at = self.now()
        for _ in range(self.max_requests):
            if self.done():
                break
            delay = next_at - self.now()
            if delay > 0:
                await asyncio.sleep(min(delay, PROBE_EVERY_S))
            next_at = max(next_at + PROBE_EVERY_S, self.now())
            t0 = self.now()
            writer = None
            try:
                async def one():
                    nonlocal writer
                    reader, writer = await self.connect()
                    self.probe_connect.append(self.now() - t0)
                    await self.exchange(reader, writer, "/index.html", True)
                await asyncio.wait_for(one(), PROBE_TIMEOUT_S)
                self.success("probe", t0)
                writer.close()
            except Exception as e:  # noqa: BLE001
                self.error("probe", e)
                self.drop(writer)

    async def aborter(self):
        """Connections dropped mid-response, one every abort_every s, modes by turns."""
        loop = asyncio.get_running_loop()
        big = "/64k.bin"
        n = 0
        next_at = self.now() + self.abort_every / 2
        while n < self.max_requests and not self.done():
            delay = next_at - self.now()
            if delay > 0:
                await asyncio.sleep(min(delay, 0.5))
                continue
            next_at += self.abort_every
            mode = ABORT_MODES[n % len(ABORT_MODES)]
            n += 1
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            try:
                await asyncio.wait_for(self._abort_one(loop, s, big, mode), REQ_TIMEOUT_S)
                self.aborts[mode] += 1
            except Exception as e:  # noqa: BLE001
                self.error("abort", e)
            finally:
                if mode != "close_partial":
                    try:
                        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    except OSError:
                        pass
                s.close()

    async def _abort_one(self, loop, s, path, mode):
        try:
            await asyncio.wait_for(loop.sock_connect(s, (self.host, self.port)),
                                   CONNECT_TIMEOUT_S)
        except (asyncio.TimeoutError, TimeoutError):
            raise Answer("connect_timeout", "no connection within %g s" % CONNECT_TIMEOUT_S)
        await loop.sock_sendall(s, request_bytes(path, self.host, False))
        if mode == "rst_at_once":
            return
        want = self.rng.randrange(1, len(self.files[path]) * 3 // 4)
        data = b""
        while True:
            chunk = await loop.sock_recv(s, 16384)
            if not chunk:
                raise asyncio.IncompleteReadError(data, None)
            data += chunk
            head, sep, body = data.partition(b"\r\n\r\n")
            if sep:
                status, _ = parse_head(head + sep)
                if status != 200:
                    raise Answer("bad_status", "status %d for %s" % (status, path))
                if len(body) >= want:
                    break
        if mode == "stall_then_close":
            await asyncio.sleep(2.0)

    async def lag_monitor(self):
        """How late the loop wakes: the client's own pauses (host load, the GIL), as
        intervals [start_s, end_s] since origin; a gap they cover is not the server's."""
        while not self.done():
            t = self.now()
            await asyncio.sleep(0.1)
            lag = self.now() - t - 0.1
            if lag > self.lag_max:
                self.lag_max = lag
            if lag > PAUSE_S and len(self.pauses) < MAX_PAUSES:
                at = t + 0.1 - self.origin
                self.pauses.append((round(at, 3), round(at + lag, 3)))

    async def ticker(self):
        while not self.done():
            if self.on_tick is not None:
                self.on_tick(self)
            await asyncio.sleep(0.5)

    async def run_async(self):
        tasks = [asyncio.ensure_future(self.prober()), asyncio.ensure_future(self.aborter()),
                 asyncio.ensure_future(self.lag_monitor()), asyncio.ensure_future(self.ticker())]
        paths = {"small_ka": "/index.html", "big_ka": "/64k.bin",
                 "small_close": "/index.html", "big_close": "/64k.bin"}
        for kind, count in self.counts.items():
            for _ in range(count):
                client = self.keepalive_client if kind.endswith("_ka") else self.close_client
                tasks.append(asyncio.ensure_future(client(kind, paths[kind])))
        # Every client ends by itself at the deadline (its waits are bounded); the bound
        # here only guards against a bug.
        limit = max(0.0, self.deadline - self.now()) + REQ_TIMEOUT_S + EOF_WAIT_S + 20
        done, pending = await asyncio.wait(tasks, timeout=limit)
        self.ended = self.now()
        for t in pending:
            t.cancel()
        if pending:
            await asyncio.wait(pending, timeout=5)
        for t in done:
            if not t.cancelled() and t.exception() is not None:
                self.first_errors.append({"at_s": round(self.ended - self.origin, 3),
                                          "kind": "client", "error": "bug",
                                          "detail": repr(t.exception())[:200]})

    def run(self):
        """Runs the load on a new event loop in this thread; returns when it ended."""
        cpu0 = time.thread_time()
        asyncio.run(self.run_async())
        self.cpu_s = time.thread_time() - cpu0
        end = min(self.deadline, self.ended) if self.stopped is None else self.ended
        self.gaps.finish(end)
        return self

    def summary(self):
        lat = self.probe_lat
        probe = {"n": len(lat)}
        if lat:
            probe.update(p50_s=round(soaklib.percentile(lat, 50), 4),
                         p99_s=round(soaklib.percentile(lat, 99), 4),
                         max_s=round(max(lat), 4))
        con = self.probe_connect
        if con:
            probe.update(connect_p99_s=round(soaklib.percentile(con, 99), 4),
                         connect_max_s=round(max(con), 4),
                         connects_over_1s=sum(1 for c in con if c >= 1.0))
        return {"clients": dict(self.counts, probe=1, abort=1), "ok": dict(self.ok),
                "latency_max_s": {k: round(v, 4) for k, v in self.lat_max.items()},
                "errors": self.errors, "first_errors": self.first_errors,
                "aborts": dict(self.aborts), "probe": probe,
                "close_without_eof": self.no_eof,
                "loop_lag": {"max_s": round(self.lag_max, 4),
                             "pauses_over_%dms" % int(PAUSE_S * 1000): len(self.pauses),
                             "over_250ms": [p for p in self.pauses if p[1] - p[0] > 0.25][:200]},
                "client_cpu_s": round(self.cpu_s, 1) if self.cpu_s is not None else None,
                "gaps": soaklib.discount_pauses(self.gaps.summary(), self.pauses),
                "stopped": self.stopped}
