"""probe.py - HTTP probes over plain sockets: one GET with a deadline, and the wait for a
server's first 200 after its start.
"""
import socket
import time


def http_get(port, path="/index.html", timeout=2.0, host="127.0.0.1"):
    """One GET with 'Connection: close'; returns (status, body length) or (None, reason).
    The whole exchange is bounded by timeout seconds."""
    deadline = time.monotonic() + timeout
    try:
        with socket.create_connection((host, port), timeout=timeout) as s:
            s.sendall(("GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n"
                       % (path, host)).encode())
            data = b""
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None, "timed out"
                s.settimeout(left)
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
                if len(data) > 64 * 1024 * 1024:
                    break
    except OSError as e:
        return None, str(e) or type(e).__name__
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep:
        return None, "no complete response (%d bytes)" % len(data)
    parts = head.split(b" ", 2)
    if len(parts) < 2 or not parts[1].isdigit():
        return None, "not an HTTP response"
    return int(parts[1]), len(body)


def wait_first_200(port, started, limit_s, alive=None, ready=None, path="/index.html",
                   host="127.0.0.1"):
    """Poll until a GET to host:port answers 200; returns milliseconds since started (a
    time.monotonic() taken just before the exec), or None when limit_s passed or alive()
    turned false (the process exited).

    ready() tells whether the server said it is up (its log); while it has not, an attempt
    gives up after 0.2 s, since a hostfwd connection to a guest that is not listening yet
    hangs rather than fails (on a tap, a SYN to an address nobody answers ARP for waits
    too). Once ready() is true (or when ready is None, after the short
    attempts kept timing out) an attempt may take 2 s. Between attempts: 10 ms."""
    short = 0.2
    attempts = 0
    while True:
        now = time.monotonic()
        if now - started > limit_s:
            return None
        if alive is not None and not alive():
            return None
        is_ready = ready() if ready is not None else None
        if is_ready is False:
            time.sleep(0.005)
            continue
        attempt = 2.0 if is_ready else min(2.0, short * (1.25 ** attempts))
        attempt = max(0.05, min(attempt, limit_s - (now - started)))
        status, _ = http_get(port, path, timeout=attempt, host=host)
        if status == 200:
            return (time.monotonic() - started) * 1000.0
        attempts += 1
        time.sleep(0.01)


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now (the kernel's choice)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
