#!/usr/bin/env python3
"""servers.py - make bench's second part: the servers ported from Debian (nginx, redis,
memcached, sqlite's speedtest1) as VMOS images against Debian's own binaries of the same
versions in the Linux guest (bench/linux-guest/servers.sh), on the same QEMU, machine type
and network backend (user networking, a port forwarded from 127.0.0.1). Python 3 standard
library only.

    bench/servers.py [--smoke] [--runs N] [--servers nginx,redis,...] [--subjects vmos,linux]
                     [--no-floor]

Figures, per server: the stripped image size (the Linux guest: its kernel and
initramfs), the memory floor (the smallest -m at which it still answers: bisection,
benchlib/memfloor.py), QEMU exec to the first answer (an HTTP 200, redis's PONG,
memcached's VERSION), and its load: nginx with wrk (the httpd rows' four loads: a 611-byte
page and a 64 KiB file, keep-alive and Connection: close), redis with redis-benchmark
(SET and GET, 50 clients, and pipelined -P 16), memcached with memcslap (set and get,
4 threads), speedtest1's own TOTAL time in the guest's clock (and exec to exit). One
table (median (min-max) over the runs, ratio against the Linux guest), the issue's
targets checked under it, and $BUILD/bench/servers.json. Every boot, probe and load is
bounded in time; QEMU is stopped by its pid. Environment: BUILD, ACCEL=tcg|kvm,
MACHINE=pc|microvm.

Exit status: 0 when every figure of every subject was measured; 1 when one could not be
(a server that did not answer, a load that failed: a defect to explain, not noise).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from benchlib import memfloor, probe, qemu, serverload, stats, table, tapnet, wrk  # noqa: E402

REPO = os.path.dirname(HERE)
LINUX_GUEST = os.path.join(HERE, "linux-guest")
SMALL_PAGE = "/index.html"
BIG_FILE = "/64k.bin"
# The kernel command line of the Linux guest (bench/linux-guest/run.sh's); the server's
# arguments follow "--".
LINUX_APPEND = "console=ttyS0 panic=-1 quiet"

SERVERS = {
    # port: the guest's; mem: -m for the load runs (VMOS: the port's PORT_MEM); args: the
    # server's command line, the same in both guests.
    "nginx": {"port": 80, "vmos_mem": 64, "linux_mem": 256, "ready": "http",
              "args": "-c /etc/nginx/nginx.conf"},
    "redis": {"port": 6379, "vmos_mem": 64, "linux_mem": 256, "ready": "redis",
              "args": "/etc/redis/vmos.conf"},
    "memcached": {"port": 11211, "vmos_mem": 128, "linux_mem": 256, "ready": "memcached",
                  "args": "-m 64 -p 11211 -u memcache -l 0.0.0.0 -t 4"},
    "speedtest1": {"port": None, "vmos_mem": 128, "linux_mem": 256, "ready": "exit",
                   "args": "--size 25 /tmp/speedtest1.db"},
}

# The targets, as ratios against the Linux guest and absolute limits.
TARGETS = [
    ("nginx", "rps_small_ka", ">=", 3.0, "nginx req/s at least 3x the Linux guest's"),
    ("nginx", "rps_64k_ka", ">=", 3.0, "nginx req/s (64 KiB) at least 3x"),
    ("redis", "redis_set", ">=", 2.0, "redis SET at least 2x"),
    ("redis", "redis_get", ">=", 2.0, "redis GET at least 2x"),
    ("memcached", "memc_get", ">=", 2.0, "memcached get at least 2x"),
    ("memcached", "memc_set", ">=", 2.0, "memcached set at least 2x"),
    ("speedtest1", "speedtest1_s", "<=", 1.10, "speedtest1 within 10% of the Linux guest"),
]
LIMITS = [
    ("nginx", "image_kib", 1000 * 1000 / 1024.0, "nginx image at most 1 MB"),
    ("redis", "image_kib", 1500 * 1000 / 1024.0, "redis image at most 1.5 MB"),
    ("nginx", "mem_floor_mib", 4, "nginx memory floor at most 4 MiB"),
    ("redis", "mem_floor_mib", 6, "redis memory floor at most 6 MiB"),
]


def log(msg):
    print("servers: " + msg, file=sys.stderr, flush=True)


def figures_of(server):
    """The rows of one server: (key, label, unit, better)."""
    figs = [("image_kib", "stripped image (Linux: kernel + initramfs)", "KiB", stats.LOWER),
            ("mem_floor_mib", "memory floor (-m)", "MiB", stats.LOWER)]
    if server == "speedtest1":
        return figs + [("exit_ms", "QEMU exec -> exit", "ms", stats.LOWER),
                       ("speedtest1_s", "speedtest1 TOTAL (guest clock)", "s", stats.LOWER)]
    figs.append(("first_answer_ms", "QEMU exec -> first answer", "ms", stats.LOWER))
    if server == "nginx":
        for key, label in (("small_ka", "611 B, keep-alive"), ("small_close", "611 B, close"),
                           ("64k_ka", "64 KiB, keep-alive"), ("64k_close", "64 KiB, close")):
            figs.append(("rps_" + key, "wrk " + label, "req/s", stats.HIGHER))
    elif server == "redis":
        figs += [("redis_set", "redis-benchmark SET -c 50", "req/s", stats.HIGHER),
                 ("redis_get", "redis-benchmark GET -c 50", "req/s", stats.HIGHER),
                 ("redis_set_p16", "redis-benchmark SET -c 50 -P 16", "req/s", stats.HIGHER),
                 ("redis_get_p16", "redis-benchmark GET -c 50 -P 16", "req/s", stats.HIGHER)]
    elif server == "memcached":
        figs += [("memc_set", "memcslap set, 4 threads", "keys/s", stats.HIGHER),
                 ("memc_get", "memcslap get, 4 threads", "keys/s", stats.HIGHER)]
    return figs


class Guest:
    """How one subject boots one server: kernel, initrd (None for VMOS), the kernel
    command line, the default -m, and the files whose size is its image."""

    def __init__(self, subject, server, kernel, initrd, append, mem, image_files):
        self.subject = subject
        self.server = server
        self.kernel = kernel
        self.initrd = initrd
        self.append = append
        self.mem = mem
        self.image_files = image_files

    def image_kib(self):
        return sum(os.path.getsize(f) for f in self.image_files) / 1024.0


class Boot:
    """A running QEMU of a Guest: proc, started (monotonic, just before the exec), host and
    port where its server is reached (user networking: 127.0.0.1 and the forwarded port;
    tap: the guest's address and its own port; port None for speedtest1), serial (the
    console log). ns: the tapnet.Namespace this thread is in, or None (user networking)."""

    def __init__(self, guest, mem, workdir, accel, machine, ns=None):
        os.makedirs(workdir, exist_ok=True)
        self.serial = os.path.join(workdir, "serial.log")
        self.err = os.path.join(workdir, "qemu.err")
        cfg = SERVERS[guest.server]
        append = guest.append
        if ns is not None and guest.subject == "vmos":
            append = tapnet.vmos_ip_option() + " " + append  # no DHCP server on the tap
        last = ""
        for _ in range(1 if ns is not None else 6):
            if ns is not None:
                self.host, self.port, netdev = ns.guest_addr, cfg["port"], ns.netdev()
            else:
                self.host = "127.0.0.1"
                self.port = probe.free_port() if cfg["port"] else None
                netdev = "user,id=n0"
                if self.port:
                    netdev += ",hostfwd=tcp:127.0.0.1:%d-:%d" % (self.port, cfg["port"])
            args = (["qemu-system-x86_64"] + qemu.accel_args(accel) + qemu.machine_args(machine) +
                    ["-m", "%dM" % mem, "-nodefaults", "-nographic", "-no-reboot",
                     "-serial", "file:" + self.serial, "-monitor", "none"] + qemu.EXIT_DEVICE +
                    ["-kernel", guest.kernel, "-append", append] +
                    (["-initrd", guest.initrd] if guest.initrd else []) +
                    ["-netdev", netdev, "-device", qemu.net_device(machine)])
            self.proc, self.started = qemu.launch(args, self.serial, self.err)
            time.sleep(0.3)
            if self.proc.poll() is None:
                return
            last = qemu.read_text(self.err)
            if "host forwarding" not in last:
                break
        raise RuntimeError("QEMU did not start: " + " | ".join(last.strip().splitlines()[-3:]))

    def alive(self):
        return self.proc.poll() is None

    def console(self):
        return qemu.read_text(self.serial)

    def stop(self):
        return qemu.stop(self.proc)


def answers(kind, host, port, timeout):
    """One bounded probe of the server's readiness."""
    if kind == "http":
        status, _ = probe.http_get(port, SMALL_PAGE, timeout=timeout, host=host)
        return status == 200
    if kind == "redis":
        return serverload.redis_ping(host, port, timeout)
    if kind == "memcached":
        return serverload.memcached_version(host, port, timeout)
    raise ValueError(kind)


def wait_answer(boot, kind, limit_s):
    """Milliseconds from the exec to the first answer, or None (limit_s passed, or QEMU
    exited). A forwarded connection to a guest not listening yet hangs rather than fails:
    attempts start short and grow."""
    attempt = 0.2
    while time.monotonic() - boot.started < limit_s and boot.alive():
        if answers(kind, boot.host, boot.port, attempt):
            return (time.monotonic() - boot.started) * 1000.0
        attempt = min(2.0, attempt * 1.25)
        time.sleep(0.01)
    return None


def wait_exit(boot, limit_s):
    """Milliseconds from the exec to QEMU's exit, or None past limit_s."""
    try:
        boot.proc.wait(timeout=max(1, limit_s - (time.monotonic() - boot.started)))
    except subprocess.TimeoutExpired:
        return None
    return (time.monotonic() - boot.started) * 1000.0


def run_tool(args, limit_s):
    """(stdout, None) or (None, reason); bounded by limit_s (then killed by its pid)."""
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=limit_s)
    except subprocess.TimeoutExpired:
        return None, "%s did not finish within %d s" % (args[0], limit_s)
    except FileNotFoundError:
        return None, "%s is not installed (tools/setup.sh installs it)" % args[0]
    if done.returncode != 0:
        return None, "%s exited with %d: %s" % (args[0], done.returncode,
                                              (done.stderr or done.stdout).strip()[-200:])
    return done.stdout, None


def load_nginx(host, port, cfg):
    out = {}
    for key, path, close in (("small_ka", SMALL_PAGE, False), ("small_close", SMALL_PAGE, True),
                             ("64k_ka", BIG_FILE, False), ("64k_close", BIG_FILE, True)):
        args = wrk.command("http://%s:%d%s" % (host, port, path), cfg.wrk_seconds, 16, 1, close)
        text, err = run_tool(args, cfg.wrk_seconds + 20)
        if err:
            out["rps_" + key] = (None, err)
            continue
        try:
            r = wrk.parse(text)
        except wrk.ParseError as e:
            out["rps_" + key] = (None, str(e))
            continue
        bad = r["non_2xx_3xx"] + r["errors"]["connect"] + r["errors"]["read"] + r["errors"]["write"]
        if bad or r["requests_per_s"] <= 0:
            out["rps_" + key] = (None, "wrk: %d errors or non-2xx answers, %.0f req/s"
                                 % (bad, r["requests_per_s"]))
        else:
            out["rps_" + key] = (r["requests_per_s"], None)
    return out


def load_redis(host, port, cfg):
    out = {}
    for suffix, extra in (("", []), ("_p16", ["-P", "16"])):
        args = (["redis-benchmark", "-h", host, "-p", str(port), "-t", "set,get",
                 "-n", str(cfg.redis_requests), "-c", "50", "--csv"] + extra)
        text, err = run_tool(args, 120)
        rates = {}
        if not err:
            try:
                rates = serverload.redis_benchmark_rps(text)
            except serverload.ParseError as e:
                err = str(e)
        for test in ("SET", "GET"):
            key = "redis_%s%s" % (test.lower(), suffix)
            out[key] = (rates[test], None) if test in rates else (None, err or "no %s line" % test)
    return out


def load_memcached(host, port, cfg):
    out = {}
    for test in ("set", "get"):
        args = ["memcslap", "--servers=%s:%d" % (host, port), "--test=" + test,
                "--concurrency=4", "--execute-number=%d" % cfg.memc_keys]
        text, err = run_tool(args, 120)
        if not err:
            try:
                out["memc_" + test] = (serverload.memcslap_ops_per_s(text, test), None)
                continue
            except serverload.ParseError as e:
                err = str(e)
        out["memc_" + test] = (None, err)
    return out


LOADS = {"nginx": load_nginx, "redis": load_redis, "memcached": load_memcached}


def measure_run(guest, cfg, workdir):
    """One boot at the guest's -m: {figure: (value, reason)}."""
    server = guest.server
    try:
        boot = Boot(guest, guest.mem, workdir, cfg.accel, cfg.machine, cfg.ns)
    except RuntimeError as e:
        return {"first_answer_ms": (None, str(e))}
    try:
        if server == "speedtest1":
            ms = wait_exit(boot, cfg.speedtest_limit_s)
            if ms is None:
                return {"exit_ms": (None, "did not exit within %d s" % cfg.speedtest_limit_s)}
            try:
                total = serverload.speedtest1_total_s(boot.console())
            except serverload.ParseError as e:
                return {"exit_ms": (ms, None), "speedtest1_s": (None, str(e))}
            return {"exit_ms": (ms, None), "speedtest1_s": (total, None)}
        ms = wait_answer(boot, SERVERS[server]["ready"], cfg.answer_limit_s)
        if ms is None:
            tail = " | ".join(boot.console().strip().splitlines()[-2:])
            return {"first_answer_ms": (None, "no answer within %d s (%s)"
                                        % (cfg.answer_limit_s, tail or "no console output"))}
        out = {"first_answer_ms": (ms, None)}
        out.update(LOADS[server](boot.host, boot.port, cfg))
        if not boot.alive():
            for k, (v, _) in list(out.items()):
                out[k] = (v, None) if k == "first_answer_ms" else (None, "QEMU exited during the load")
        return out
    finally:
        boot.stop()


def memory_floor(guest, cfg, workdir):
    """(floor MiB, None) or (None, reason): the smallest -m at which the server answers
    (speedtest1: runs to its TOTAL line)."""
    server = guest.server

    def up(mem):
        try:
            boot = Boot(guest, mem, workdir, cfg.accel, cfg.machine, cfg.ns)
        except RuntimeError:
            return False
        try:
            if server == "speedtest1":
                return (wait_exit(boot, cfg.speedtest_limit_s) is not None and
                        "TOTAL" in boot.console())
            return wait_answer(boot, SERVERS[server]["ready"], cfg.answer_limit_s) is not None
        finally:
            boot.stop()

    lo = 2 if guest.subject == "vmos" else 16
    found = memfloor.find_floor(up, lo, guest.mem, resolution=1 if guest.subject == "vmos" else 4,
                                max_probes=16)
    log("%s %s memory floor: %s (%s; probes %s)" % (guest.subject, server, found["floor"],
                                                     found["status"], found["probes"]))
    if found["status"] in ("found", "always-up") and found["floor"] is not None:
        return found["floor"], None
    return None, "memory floor: %s" % found["status"]


def vmos_guest(server, build, docroot):
    """Build the image (make PORT=server image; nginx: a second link with the bench's
    documents in /var/www/html) and describe its boot."""
    cfg = SERVERS[server]
    done = subprocess.run(["make", "--no-print-directory", "-s", "BUILD=" + build,
                           "PORT=" + server, "image"], cwd=REPO, capture_output=True, text=True,
                          timeout=1800)
    if done.returncode != 0:
        raise RuntimeError("make PORT=%s image failed: %s" % (server, done.stderr.strip()[-300:]))
    elf = os.path.join(build, server + ".elf")
    if server == "nginx":
        elf = os.path.join(build, "nginx-bench.elf")
        env = dict(os.environ, VMOS_CC=os.path.join(build, "kit", "bin", "vmos-cc"),
                   NGINX_EXTRA_FILES=docroot + ":/var/www/html")
        done = subprocess.run(["bash", "ports/nginx/build.sh", elf], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=1800)
        if done.returncode != 0:
            raise RuntimeError("the nginx bench image did not build: " + done.stderr[-300:])
    stripped = elf.replace(".elf", ".stripped.elf")
    subprocess.run(["strip", "-o", stripped, elf], check=True, timeout=60)
    return Guest("vmos", server, elf, None, "-- " + cfg["args"], cfg["vmos_mem"], [stripped])


class NotYet(Exception):
    """A subject this bench cannot build yet: its column says why; not a failed figure."""


def linux_guest(server, build):
    """Build Debian's binary of the server into the Linux guest (bench/linux-guest/
    servers.sh) and describe its boot."""
    cfg = SERVERS[server]
    if not os.path.exists(os.path.join(LINUX_GUEST, "servers.sh")):
        raise NotYet("no Linux guest for the servers yet (bench/linux-guest/servers.sh)")
    outdir = os.path.join(build, "linux-guest")
    done = subprocess.run(["bash", os.path.join(LINUX_GUEST, "servers.sh"), outdir, server],
                          cwd=REPO, capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        raise RuntimeError("bench/linux-guest/servers.sh %s failed: %s"
                           % (server, done.stderr.strip()[-300:]))
    kernel = os.path.join(outdir, "vmlinuz")
    initrd = os.path.join(outdir, server, "initramfs.img")
    return Guest("linux", server, kernel, initrd, LINUX_APPEND + " -- " + cfg["args"],
                 cfg["linux_mem"], [kernel, initrd])


def make_docroot(docroot):
    """The httpd bench's documents: ports/httpd/www/index.html (611 bytes) and 64k.bin,
    the bytes bench/linux-guest/mkwww.sh writes (4096 numbered 16-byte lines)."""
    os.makedirs(docroot, exist_ok=True)
    shutil.copyfile(os.path.join(REPO, "ports", "httpd", "www", "index.html"),
                    os.path.join(docroot, "index.html"))
    data = b"".join(b"%015d\n" % i for i in range(4096))
    with open(os.path.join(docroot, "64k.bin"), "wb") as f:
        f.write(data)


def check_targets(results):
    """Lines saying, for each of the issue's targets, whether the medians meet it."""
    lines = []
    for server, key, op, want, text in TARGETS:
        cells = results.get(server, {}).get(key, {})
        r = stats.ratio(table.cell_value(cells.get("vmos")), table.cell_value(cells.get("linux")))
        if r is None:
            lines.append("target: %s: n/a (a figure is missing)" % text)
            continue
        ok = r >= want if op == ">=" else r <= want
        lines.append("target: %s: x%.2f, %s" % (text, r, "met" if ok else "MISSED"))
    for server, key, limit, text in LIMITS:
        v = table.cell_value(results.get(server, {}).get(key, {}).get("vmos"))
        if v is None:
            lines.append("target: %s: n/a" % text)
        else:
            lines.append("target: %s: %s, %s" % (text, table.format_number(v),
                                                  "met" if v <= limit else "MISSED"))
    return lines


def measure_all(servers, subjects, guests, errors, not_yet, cfg, workroot):
    """Every figure of every (server, subject): ({server: {figure: {subject: summary or
    {'na': reason}}}}, whether one could not be measured). A subject in not_yet has only
    its reason and does not count as a failure."""
    results = {}
    failed = False
    for server in servers:
        cells = results.setdefault(server, {})
        for subject in subjects:
            guest = guests.get((server, subject))
            if guest is None:
                for key, _, _, _ in figures_of(server):
                    cells.setdefault(key, {})[subject] = {"na": errors[server, subject]}
                failed = failed or (server, subject) not in not_yet
                continue
            reasons = {}
            values = {"image_kib": [guest.image_kib()]}
            if not (cfg.smoke or cfg.no_floor):
                floor, why = memory_floor(guest, cfg, os.path.join(workroot, subject, server, "floor"))
                values["mem_floor_mib"] = [floor]
                if why:
                    reasons["mem_floor_mib"] = why
            for run in range(cfg.runs):
                log("%s %s: run %d of %d" % (subject, server, run + 1, cfg.runs))
                for key, (v, why) in measure_run(guest, cfg, os.path.join(
                        workroot, subject, server, "run%d" % run)).items():
                    values.setdefault(key, []).append(v)
                    if why:
                        reasons.setdefault(key, why)
                        log("%s %s: %s: %s" % (subject, server, key, why))
            for key, _, _, _ in figures_of(server):
                summary = stats.summarize(values.get(key, []))
                if key == "mem_floor_mib" and key not in values:
                    summary = {"na": "not measured (--smoke or --no-floor)"}
                elif summary is None:
                    summary = {"na": reasons.get(key, "not measured")}
                    failed = True
                elif key in reasons:
                    failed = True  # some runs failed: reported in the log above
                cells.setdefault(key, {})[subject] = summary
    return results, failed


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--smoke", action="store_true",
                    help="one short run of each, no memory floors (the bench tests' check)")
    ap.add_argument("--runs", type=int)
    ap.add_argument("--servers", default=",".join(SERVERS))
    ap.add_argument("--subjects", default="vmos,linux")
    ap.add_argument("--no-floor", action="store_true")
    ap.add_argument("--tap", action="store_true",
                    help="TAP lines (one per server and subject: every figure measured); the "
                    "table as # comments")
    ap.add_argument("--backend", choices=("tap", "user"), default="tap",
                    help="tap (default): a tap device in a network namespace of the bench's own; "
                    "user: QEMU's user networking, whose forwarded port listens with a backlog "
                    "of 1, so redis-benchmark's 50 simultaneous connects overflow it")
    ap.add_argument("--build", default=os.environ.get("BUILD", "build"))
    cfg = ap.parse_args()
    cfg.build = os.path.abspath(cfg.build)
    cfg.accel = os.environ.get("ACCEL", "tcg")
    cfg.machine = os.environ.get("MACHINE", "pc")
    cfg.runs = cfg.runs or (1 if cfg.smoke else 3)
    cfg.wrk_seconds = 2 if cfg.smoke else 10
    cfg.redis_requests = 2000 if cfg.smoke else 100000
    cfg.memc_keys = 200 if cfg.smoke else 5000
    cfg.answer_limit_s = 120
    cfg.speedtest_limit_s = 900
    servers = [s for s in cfg.servers.split(",") if s]
    subjects = [s for s in cfg.subjects.split(",") if s]
    for s in servers:
        if s not in SERVERS:
            ap.error("unknown server %s (known: %s)" % (s, ", ".join(SERVERS)))
    workroot = os.path.join(cfg.build, "bench", "servers")
    docroot = os.path.join(workroot, "docroot")
    make_docroot(docroot)

    # Every image is built first, outside the namespace (the Linux guest's packages come
    # from Debian's archive, which the namespace cannot reach).
    guests, errors, not_yet = {}, {}, set()
    for server in servers:
        for subject in subjects:
            try:
                guests[server, subject] = (vmos_guest(server, cfg.build, docroot)
                                           if subject == "vmos" else linux_guest(server, cfg.build))
            except NotYet as e:
                errors[server, subject] = str(e)
                not_yet.add((server, subject))
            except (RuntimeError, subprocess.SubprocessError, OSError) as e:
                log("%s %s: %s" % (subject, server, e))
                errors[server, subject] = str(e)[:160]

    cfg.ns = None
    if cfg.backend == "tap" and tapnet.check():
        log("the tap backend cannot run here (%s): user networking instead" % tapnet.check())
        cfg.backend = "user"
    if cfg.backend == "tap":
        cfg.ns = tapnet.Namespace(os.getpid())
        cfg.ns.create()
    try:
        if cfg.ns is not None:
            with cfg.ns.entered():
                results, failed = measure_all(servers, subjects, guests, errors, not_yet, cfg,
                                              workroot)
        else:
            results, failed = measure_all(servers, subjects, guests, errors, not_yet, cfg,
                                          workroot)
    finally:
        if cfg.ns is not None and not cfg.ns.delete():
            log("the network namespace %s could not be deleted" % cfg.ns.name)

    columns = [(s, {"vmos": "VMOS", "linux": "Linux guest"}[s]) for s in subjects]
    figures, flat = [], {}
    for server in servers:
        for key, label, unit, better in figures_of(server):
            figures.append({"key": server + "." + key, "label": "%s: %s" % (server, label),
                            "unit": unit, "better": better})
            flat[server + "." + key] = results[server].get(key, {})
    text = table.render(figures, flat, columns, "linux" if "linux" in subjects else columns[0][0])
    target_lines = check_targets(results) if {"vmos", "linux"} <= set(subjects) else []
    if cfg.tap:
        n = 0
        for server in servers:
            for subject in subjects:
                missing = [key for key, _, _, _ in figures_of(server)
                           if "na" in results[server].get(key, {}).get(subject, {"na": "-"}) and
                           not (key == "mem_floor_mib" and (cfg.smoke or cfg.no_floor))]
                n += 1
                print("%s %d - servers bench (%s backend): %s in %s: %s" % (
                    "not ok" if missing else "ok", n, cfg.backend, server, subject,
                    "not measured: " + ", ".join(missing) if missing else "every figure measured"))
        for line in (text + "\n".join(target_lines)).splitlines():
            print("# " + line)
    else:
        print(text + "\n".join(target_lines))
    os.makedirs(os.path.join(cfg.build, "bench"), exist_ok=True)
    name = "servers-smoke.json" if cfg.smoke else "servers.json"
    with open(os.path.join(cfg.build, "bench", name), "w") as f:
        json.dump({"qemu": qemu.version(), "accel": cfg.accel, "machine": cfg.machine,
                   "backend": cfg.backend,
                   "runs": cfg.runs, "results": results, "targets": target_lines}, f, indent=1)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
