"""subjects.py - the three things measured: VMOS (the httpd image under QEMU), the Linux
guest (bench/linux-guest/*.sh, someone else's scripts, same httpd), and the native host
process (ports/httpd built with gcc -O2).

Each subject: prepare() builds it (or raises Unavailable with the reason the table shows),
image_size() gives its stripped size in KiB and what was counted, start(mem_mib) runs it
and returns an Instance (host, port, started, alive(), ready(), milestones(),
peak_rss_mib(), stop()). A subject whose floor_bounds is None has no memory floor (it is
not a VM). The VMs also have start_tap(mem_mib, ns): the same VM with its card on the tap
of a tapnet.Namespace the calling thread is in (the native server has none).
"""
import glob
import os
import re
import signal
import subprocess
import time

from . import probe
from . import qemu
from . import tapnet


def httpd_sources(repo):
    """ports/httpd's C files as its port builds them: the list in ports/httpd/sources and
    the body variant VMOS uses (body_rw.c)."""
    folder = os.path.join(repo, "ports", "httpd")
    with open(os.path.join(folder, "sources")) as f:
        names = [line.strip() for line in f if line.strip()]
    return [os.path.join(folder, name) for name in names + ["body_rw.c"]]


SERVER_ARGS = ["-p", "80", "-r", "/www", "-c", "512", "-q"]
# A static address, as the Linux guest's /init sets it: no DHCP on the boot path. It is
# user networking's default (10.0.2.15/24 via 10.0.2.2), and the tap namespace uses the
# same addresses, so the command line is the same on both backends.
VMOS_APPEND = "bootstats %s -- %s" % (tapnet.vmos_ip_option(), " ".join(SERVER_ARGS))


class Unavailable(Exception):
    """The subject (or one figure of it) cannot be measured; str() is the reason."""


def run_logged(args, log, timeout_s, env=None, cwd=None):
    """Run args with output to log; returns the exit status, or raises Unavailable after
    timeout_s (the process group is killed: builds start children)."""
    with open(log, "wb") as f:
        proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=f,
                                stderr=subprocess.STDOUT, env=env, cwd=cwd,
                                start_new_session=True)
        try:
            return proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
            raise Unavailable("%s took more than %d s (log: %s)" % (args[0], timeout_s, log))


def tail(path, n=3):
    try:
        with open(path, errors="replace") as f:
            lines = [l.strip() for l in f.read().splitlines() if l.strip()]
        return " | ".join(lines[-n:])
    except OSError:
        return ""


def file_kib(path):
    return os.path.getsize(path) / 1024.0


def parse_bootstats(text):
    """VMOS's bootstats lines ('bootstats: entry  69617 us  (+0 us, tsc ...)') as
    {'entry': ms, 'paging': ms, 'main': ms}: milliseconds since the VM's reset (TSC 0).
    A TSC of unknown frequency prints 0 us everywhere; that gives {}."""
    out = {}
    for m in re.finditer(r"bootstats: (\w+)\s+(\d+) us", text):
        out[m.group(1)] = int(m.group(2)) / 1000.0
    if out and not any(out.values()):
        return {}
    return out


def parse_bootstats_tsc(text):
    """The raw TSC values of VMOS's bootstats lines ('bootstats: main  7435 us  (+116 us,
    tsc 7435633)') as {'entry': 5803587, 'paging': 7319329, 'main': 7435633}. Under
    -icount shift=0 (qemu.ICOUNT_ARGS) the TSC counts guest instructions since the VM's
    reset, and these are instruction counts."""
    return {m.group(1): int(m.group(2))
            for m in re.finditer(r"bootstats: (\w+)\s+\d+ us\s+\(\+\d+ us, tsc (\d+)\)", text)}


def icount_counts(tsc):
    """The figures of one -icount boot from parse_bootstats_tsc's dict: instructions from
    the reset to the kernel's entry, from the entry to paging on (the kernel's own early
    boot) and from the reset to the program's main(); None when a milestone is missing or
    they are out of order."""
    try:
        entry, paging, main = tsc["entry"], tsc["paging"], tsc["main"]
    except KeyError:
        return None
    if not 0 < entry <= paging <= main:
        return None
    return {"entry": entry, "entry_to_paging": paging - entry, "main": main}


def count_spread(boots):
    """How far apart the counts of several boots (icount_counts dicts) are: {figure:
    max - min}, and the largest of those relative to its figure's smallest value (0.0 when
    every boot counted the same). None for no boots."""
    if not boots:
        return None
    spread = {k: max(b[k] for b in boots) - min(b[k] for b in boots) for k in boots[0]}
    rel = max((spread[k] / min(b[k] for b in boots) if min(b[k] for b in boots) else 0.0)
              for k in spread)
    return {"spread": spread, "relative": rel}


def us_per_count(text):
    """The bootstats microseconds times 1000 over the TSC value, per milestone: how well
    'us x 1000 = instructions' holds under -icount shift=0 (the kernel converts the TSC to
    microseconds with the frequency it calibrated against the PIT, ~1 GHz there)."""
    us = {m.group(1): int(m.group(2)) for m in re.finditer(r"bootstats: (\w+)\s+(\d+) us", text)}
    tsc = parse_bootstats_tsc(text)
    return {k: us[k] * 1000.0 / tsc[k] for k in tsc if k in us and tsc[k]}


def parse_linux_log(text):
    """Milestones from the Linux guest's console (bench/linux-guest/init prints
    'linux-guest: httpd starts 0.95 s after boot (eth0 static)', the guest's uptime when
    it execs httpd): {'httpd': ms}; with printk times on the console (no 'quiet'), also
    {'init': ms} from '[    0.812345] Run /init as init process'. Milliseconds on the
    kernel's clock, which starts early in the kernel, not at the VM's reset."""
    out = {}
    # (not anchored: the console's reset escapes can precede it on its line)
    m = re.search(r"linux-guest: httpd starts ([0-9.]+) s after boot", text)
    if m:
        out["httpd"] = float(m.group(1)) * 1000.0
    m = re.search(r"^\[\s*(\d+\.\d+)\] Run \S+ as init process", text, re.M)
    if m:
        out["init"] = float(m.group(1)) * 1000.0
    return out


class Instance:
    """A started server; subclasses say how it is stopped and what its log holds."""
    host = "127.0.0.1"
    port = None
    started = None
    pid = None

    def alive(self):
        raise NotImplementedError

    def ready(self):
        return None

    def milestones(self):
        return {}

    def peak_rss_mib(self):
        return qemu.peak_rss_mib(self.pid) if self.pid else None

    def stop(self):
        raise NotImplementedError

    def log_tail(self):
        return ""


class VmosInstance(Instance):
    def __init__(self, vm):
        self.vm = vm
        self.host = vm.host
        self.port = vm.port
        self.started = vm.started
        self.pid = vm.pid

    def alive(self):
        if not self.vm.alive():
            return False
        text = self.vm.serial_text()
        # A guest that stopped serving without exiting (no card, a panic) is as good as gone.
        return "vnet: no usable" not in text and "PANIC" not in text

    def ready(self):
        text = self.vm.serial_text()
        return "httpd: serving" in text and "\nnet: en" in text

    def milestones(self):
        return parse_bootstats(self.vm.serial_text())

    def stop(self):
        return self.vm.stop()

    def log_tail(self):
        return tail(self.vm.serial) or tail(self.vm.err)


class Subject:
    """What every column is given: the repository, the build folder, the document root,
    ACCEL, MACHINE and a folder of its own."""

    def __init__(self, repo, build, docroot, accel, machine, workdir):
        self.repo, self.build, self.docroot = repo, build, docroot
        self.accel, self.machine, self.workdir = accel, machine, workdir


class Vmos(Subject):
    key = "vmos"
    title = "VMOS"
    floor_bounds = (2, 256)

    def __init__(self, repo, build, docroot, accel, machine, workdir):
        super().__init__(repo, build, docroot, accel, machine, workdir)
        self.kernel = os.path.join(build, "httpd-bench.elf")

    def prepare(self, timeout_s=900):
        os.makedirs(self.workdir, exist_ok=True)
        for port, extra in (("httpd", []), ("bootreport", []), ("bench/httpd-bench",
                                              ["BENCH_DOCROOT=" + self.docroot])):
            log = os.path.join(self.workdir, "build-%s.log" % port.replace("/", "-"))
            status = run_logged(["make", "--no-print-directory", "-s", "BUILD=" + self.build,
                                 "PORT=" + port] + extra + ["image"], log, timeout_s,
                                cwd=self.repo)
            if status != 0:
                raise Unavailable("make PORT=%s image failed: %s" % (port, tail(log)))

    def image_size(self):
        path = os.path.join(self.build, "httpd.stripped.elf")
        return file_kib(path), [path]

    def start(self, mem_mib):
        return VmosInstance(qemu.start(self.kernel, VMOS_APPEND, mem_mib,
                                       os.path.join(self.workdir, "vm"), self.accel,
                                       self.machine))

    def start_tap(self, mem_mib, ns):
        """As start(), with the card on ns's tap (the calling thread is in ns)."""
        try:
            vm = qemu.start(self.kernel, VMOS_APPEND, mem_mib,
                            os.path.join(self.workdir, "vm-tap"), self.accel, self.machine,
                            tap=ns)
        except RuntimeError as e:
            raise Unavailable(str(e))
        return VmosInstance(vm)

    def icount_boot(self, limit_s, mem_mib=256):
        """One boot of the bench image under -icount shift=0 (TCG only), with the same
        command line as start(); QEMU is stopped as soon as the bootstats lines are out
        (the counts end at main(): nothing after it is measured). Returns the console
        text; raises Unavailable when the lines do not come within limit_s."""
        if self.accel != "tcg":
            raise Unavailable("icount needs TCG")
        try:
            vm = qemu.start(self.kernel, VMOS_APPEND, mem_mib, os.path.join(self.workdir, "icount"),
                            self.accel, self.machine, extra=qemu.ICOUNT_ARGS)
        except RuntimeError as e:
            raise Unavailable(str(e))
        try:
            deadline = time.monotonic() + limit_s
            while time.monotonic() < deadline:
                text = vm.serial_text()
                if re.search(r"bootstats: main .*\n", text):
                    return text
                if not vm.alive():
                    break
                time.sleep(0.02)
            raise Unavailable("no 'bootstats: main' line under -icount within %d s: %s"
                              % (limit_s, tail(vm.serial) or tail(vm.err)))
        finally:
            vm.stop()

    def exit0(self, limit_s):
        """exec-to-exit of the bare kernel (PORT=bootreport: its boot report, then exit)
        with exit=0: VMOS's own start and stop, no network, no program."""
        elf = os.path.join(self.build, "bootreport.elf")
        ms, status = qemu.exec_to_exit_ms(elf, "exit=0", 64, self.accel, self.machine,
                                          limit_s)
        if ms is None or status != 1:
            return None, "bootreport exit=0 did not exit with status 0: %s" % (status,)
        return ms, None


class LinuxInstance(Instance):
    def __init__(self, pid, port, started, serial, wanted_mem):
        self.pid, self.port, self.started = pid, port, started
        self.serial = serial
        self.wanted_mem = wanted_mem

    def alive(self):
        try:
            with open("/proc/%d/stat" % self.pid) as f:
                return f.read().split(") ", 1)[1][:1] not in ("Z", "X")
        except (OSError, IndexError):
            return False

    def log_text(self):
        return qemu.read_text(self.serial) if self.serial else ""

    def ready(self):
        text = self.log_text()
        return True if "httpd: serving" in text or "linux-guest: httpd starts" in text else None

    def milestones(self):
        return parse_linux_log(self.log_text())

    def stop(self):
        """QEMU is not our child (run.sh started it): signal it by pid and poll /proc."""
        for sig, wait_s in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
            try:
                os.kill(self.pid, sig)
            except ProcessLookupError:
                return None
            deadline = time.monotonic() + wait_s
            while time.monotonic() < deadline and self.alive():
                time.sleep(0.05)
            if not self.alive():
                return None
        return None

    def log_tail(self):
        return tail(self.serial) if self.serial else ""


class LinuxTapInstance(LinuxInstance):
    """The Linux guest on a tap: QEMU with run.sh's command line (read back), started by
    the bench itself (run.sh knows only user networking), so a child stopped as such."""

    def __init__(self, proc, port, started, serial, host, err):
        super().__init__(proc.pid, port, started, serial, None)
        self.proc, self.host, self.err = proc, host, err

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        return qemu.stop(self.proc)

    def log_tail(self):
        return tail(self.serial) or tail(self.err)


class LinuxGuest(Subject):
    """bench/linux-guest/build.sh OUTDIR, bench/linux-guest/run.sh OUTDIR HOSTPORT [MACHINE]
    (starts QEMU in the background and prints its pid). The bench also passes ACCEL, MEM
    (e.g. 256M) and BENCH_DOCROOT in the environment; whether run.sh honoured MEM is read
    back from QEMU's command line (/proc/PID/cmdline), and so is the serial log's file."""
    key = "linux"
    title = "Linux guest"
    floor_bounds = (16, 1024)

    def __init__(self, repo, build, docroot, accel, machine, workdir):
        super().__init__(repo, build, docroot, accel, machine, workdir)
        self.scripts = os.path.join(repo, "bench", "linux-guest")
        self.outdir = os.path.join(build, "bench", "linux-guest")

    def env(self, mem_mib=None):
        env = dict(os.environ, ACCEL=self.accel, MACHINE=self.machine,
                   BENCH_DOCROOT=self.docroot, HTTPD_ARGS=" ".join(SERVER_ARGS))
        if mem_mib:
            env["MEM"] = "%dM" % mem_mib
        return env

    def prepare(self, timeout_s=1800):
        for name in ("build.sh", "run.sh"):
            if not os.path.isfile(os.path.join(self.scripts, name)):
                raise Unavailable("bench/linux-guest/%s does not exist yet" % name)
        os.makedirs(self.workdir, exist_ok=True)
        log = os.path.join(self.workdir, "build.log")
        status = run_logged(["bash", os.path.join(self.scripts, "build.sh"), self.outdir],
                            log, timeout_s, env=self.env(), cwd=self.repo)
        if status != 0:
            raise Unavailable("bench/linux-guest/build.sh failed (%d): %s" % (status, tail(log)))

    def image_size(self):
        listed = os.path.join(self.outdir, "image-files")
        if os.path.isfile(listed):
            with open(listed) as f:
                paths = [os.path.join(self.outdir, l.strip()) if not os.path.isabs(l.strip())
                         else l.strip() for l in f if l.strip()]
        else:
            paths = []
            for pattern in ("vmlinuz*", "bzImage*", "*initr*", "*.cpio*"):
                paths += glob.glob(os.path.join(self.outdir, pattern))
            paths = sorted(set(p for p in paths if os.path.isfile(p)))
        if not paths:
            raise Unavailable("no kernel or initrd found in %s" % self.outdir)
        return sum(file_kib(p) for p in paths), paths

    def start(self, mem_mib):
        log = os.path.join(self.workdir, "run.log")
        last = ""
        for _ in range(4):
            port = probe.free_port()
            started = time.monotonic()
            try:
                with open(log, "wb") as f:
                    out = subprocess.run(
                        ["bash", os.path.join(self.scripts, "run.sh"), self.outdir,
                         str(port), self.machine], stdin=subprocess.DEVNULL,
                        stdout=subprocess.PIPE, stderr=f, env=self.env(mem_mib),
                        cwd=self.repo, timeout=60)
            except subprocess.TimeoutExpired:
                raise Unavailable("bench/linux-guest/run.sh did not return within 60 s")
            pids = re.findall(r"^\s*(\d+)\s*$", out.stdout.decode(errors="replace"), re.M)
            if out.returncode == 0 and pids:
                pid = int(pids[-1])
                args = qemu.cmdline_of(pid)
                inst = LinuxInstance(pid, port, started, qemu.serial_file_of(args),
                                     qemu.memory_of(args))
                if mem_mib and inst.wanted_mem not in (None, mem_mib):
                    inst.stop()
                    raise Unavailable("run.sh ignores MEM=%dM (QEMU got -m %s)"
                                      % (mem_mib, inst.wanted_mem))
                return inst
            last = tail(log)
            if "host forwarding" not in last:
                break
        raise Unavailable("bench/linux-guest/run.sh failed: %s" % (last or "no pid printed"))

    def qemu_args(self, mem_mib):
        """run.sh's QEMU command line for -m mem_mib: run.sh starts the guest as usual, the
        command line is read back from /proc and that QEMU stopped (run.sh takes no QEMU
        options). Raises Unavailable."""
        inst = self.start(mem_mib)
        try:
            # run.sh prints the pid of its background job, which may not have exec'd QEMU
            # yet (bash's command line), or be exec'ing it (an empty one, for a moment).
            for _ in range(100):
                args = qemu.cmdline_of(inst.pid)
                if args and "qemu-system" in os.path.basename(args[0]):
                    break
                if not inst.alive():
                    break
                time.sleep(0.05)
        finally:
            inst.stop()
        if not args or "qemu-system" not in os.path.basename(args[0]):
            raise Unavailable("run.sh's QEMU command line could not be read back")
        return args

    def start_tap(self, mem_mib, ns, args):
        """The guest on ns's tap (the calling thread is in ns): args, run.sh's QEMU command
        line for mem_mib (qemu_args, read before entering ns), with its -netdev replaced by
        the tap's and its console sent to this subject's folder."""
        workdir = os.path.join(self.workdir, "tap")
        os.makedirs(workdir, exist_ok=True)
        serial = os.path.join(workdir, "serial.log")
        err = os.path.join(workdir, "qemu.err")
        tap_args = qemu.with_netdev(args, ns.netdev(), serial)
        if tap_args is None:
            raise Unavailable("run.sh's QEMU command line has no -netdev n0 to replace")
        if qemu.memory_of(tap_args) != mem_mib:
            raise Unavailable("run.sh's QEMU command line has -m %s, not %d MiB"
                              % (qemu.memory_of(tap_args), mem_mib))
        proc, started = qemu.launch(tap_args, serial, err)
        return LinuxTapInstance(proc, ns.port, started, serial, ns.guest_addr, err)


def linux_icount_args(args, serial):
    """run.sh's QEMU command line (from /proc/PID/cmdline) with the console sent to serial
    and qemu.ICOUNT_ARGS added; None when it is not a TCG QEMU command line."""
    if not args or "qemu-system" not in os.path.basename(args[0]) or "kvm" in args:
        return None
    out = []
    for i, a in enumerate(args):
        if i and args[i - 1] == "-serial" and a.startswith("file:"):
            a = "file:" + serial
        out.append(a)
    return out + qemu.ICOUNT_ARGS


def linux_icount_boot(guest, limit_s, mem_mib, workdir):
    """The Linux guest under -icount shift=0: run.sh starts it as usual, its QEMU command
    line is read back and QEMU stopped, and the same command line runs again with
    -icount (run.sh takes no QEMU options). Returns the virtual nanoseconds on the
    guest's clock when /init execs httpd (its 'httpd starts X s after boot' line, 10 ms
    resolution); raises Unavailable."""
    if guest.accel != "tcg":
        raise Unavailable("icount needs TCG")
    args = guest.qemu_args(mem_mib)
    os.makedirs(workdir, exist_ok=True)
    serial = os.path.join(workdir, "serial.log")
    args = linux_icount_args(args, serial)
    if args is None:
        raise Unavailable("run.sh's QEMU command line could not be read back")
    if os.path.exists(serial):
        os.unlink(serial)
    with open(os.path.join(workdir, "qemu.err"), "wb") as err:
        proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=err,
                                stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline and proc.poll() is None:
            miles = parse_linux_log(qemu.read_text(serial))
            if "httpd" in miles:
                return miles["httpd"] * 1e6
            time.sleep(0.1)
        raise Unavailable("no 'linux-guest: httpd starts' line under -icount within %d s: %s"
                          % (limit_s, tail(serial)))
    finally:
        qemu.stop(proc)


class HostInstance(Instance):
    def __init__(self, proc, port, started, err):
        self.proc, self.pid, self.port, self.started, self.err = proc, proc.pid, port, started, err

    def alive(self):
        return self.proc.poll() is None

    def ready(self):
        try:
            with open(self.err) as f:
                return "serving" in f.read()
        except OSError:
            return False

    def stop(self):
        return qemu.stop(self.proc)

    def log_tail(self):
        return tail(self.err)


class Host(Subject):
    key = "host"
    title = "native host"
    floor_bounds = None

    def __init__(self, repo, build, docroot, accel, machine, workdir):
        super().__init__(repo, build, docroot, accel, machine, workdir)
        self.binary = os.path.join(workdir, "httpd")

    def prepare(self, timeout_s=300):
        os.makedirs(self.workdir, exist_ok=True)
        srcs = httpd_sources(self.repo)
        log = os.path.join(self.workdir, "build.log")
        if run_logged(["gcc", "-std=gnu11", "-O2", "-o", self.binary] + srcs, log,
                      timeout_s) != 0:
            raise Unavailable("gcc -O2 build of ports/httpd failed: %s" % tail(log))
        if run_logged(["strip", "-o", self.binary + ".stripped", self.binary], log,
                      timeout_s) != 0:
            raise Unavailable("strip failed: %s" % tail(log))

    def image_size(self):
        return file_kib(self.binary + ".stripped"), [self.binary + ".stripped"]

    def start(self, mem_mib=None):
        err = os.path.join(self.workdir, "server.err")
        last = ""
        for _ in range(4):
            port = probe.free_port()
            args = [self.binary, "-a", "127.0.0.1", "-p", str(port), "-r", self.docroot,
                    "-c", "512", "-q"]
            with open(err, "wb") as f:
                started = time.monotonic()
                proc = subprocess.Popen(args, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=f)
            time.sleep(0.01)
            if proc.poll() is None:
                return HostInstance(proc, port, started, err)
            last = tail(err)
        raise Unavailable("the native httpd did not start: %s" % last)
