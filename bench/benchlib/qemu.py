"""qemu.py - QEMU runs for the benchmark: one VM with a virtio-net card on user networking
and a forwarded 127.0.0.1 port (or on a tap device: tapnet.py), its serial console in a
file; peak RSS from /proc; every stop by pid, every wait bounded.
"""
import os
import re
import subprocess
import time

from . import probe

EXIT_DEVICE = ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]


# -icount shift=0: TCG executes one guest instruction per nanosecond of virtual time, and
# the guest's TSC (QEMU's virtual clock under icount) counts nanoseconds, so a TSC value is
# a count of the instructions executed since the VM's reset. sleep=off: when the guest
# halts, the virtual clock jumps to the next timer's deadline instead of following the
# host's clock, so that a boot's counts do not depend on the host's load (with sleep=on,
# QEMU's default, SeaBIOS's halts made the kernel-entry count vary by ~3%).
ICOUNT_ARGS = ["-icount", "shift=0,sleep=off"]


def accel_args(accel):
    """-accel and -cpu for ACCEL=tcg|kvm (as tools/run.sh: kvm hides arch-capabilities,
    which nested KVM cannot set)."""
    if accel == "kvm":
        return ["-accel", "kvm", "-cpu", "host,-arch-capabilities"]
    return ["-accel", "tcg", "-cpu", "max"]


def machine_args(machine):
    """-machine pc or microvm (microvm keeps its ISA devices: isa-debug-exit, the serial
    port, the PIT). microvm,acpi=off: QEMU then names its virtio-mmio devices on the
    kernel command line (virtio_mmio.device=...), where VMOS finds them;
    virtio-mmio.force-legacy=false gives them the virtio 1.x register layout (QEMU 7.2's
    default is the legacy one, which VMOS refuses)."""
    if machine == "microvm":
        return ["-machine", "microvm,acpi=off", "-global", "virtio-mmio.force-legacy=false"]
    return ["-machine", machine]


def net_device(machine):
    """The card: virtio-net-pci on pc (no boot ROM), virtio-net-device (virtio-mmio) on
    microvm, which has no PCI bus by default; as bench/linux-guest/run.sh."""
    if machine == "microvm":
        return "virtio-net-device,netdev=n0"
    return "virtio-net-pci,netdev=n0,romfile="


def read_text(path):
    """A console log's text so far ("" while it does not exist)."""
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""


def launch(args, serial, err):
    """Start the QEMU command line args with a fresh console log (serial: a stale one is
    removed first) and its own output in the file err; returns (process, started), started
    being time.monotonic() just before the exec."""
    if os.path.exists(serial):
        os.unlink(serial)
    with open(err, "wb") as errf:
        started = time.monotonic()
        proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=errf,
                                stderr=subprocess.STDOUT)
    return proc, started


class VM:
    """A running QEMU: pid, host and port (host:port reaches the guest's port 80:
    127.0.0.1 and the forwarded port on user networking, the guest's address and 80 on a
    tap), serial (the console log's path), started (time.monotonic() just before the
    exec)."""

    def __init__(self, proc, port, serial, err, started, host="127.0.0.1"):
        self.proc = proc
        self.pid = proc.pid
        self.host = host
        self.port = port
        self.serial = serial
        self.err = err
        self.started = started

    def alive(self):
        return self.proc.poll() is None

    def serial_text(self):
        return read_text(self.serial)

    def peak_rss_mib(self):
        return peak_rss_mib(self.pid)

    def stop(self):
        """SIGTERM, then SIGKILL after 5 s; returns QEMU's exit status."""
        return stop(self.proc)


def peak_rss_mib(pid):
    """VmHWM (the peak resident set) of a running process in MiB, or None."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except (OSError, ValueError, IndexError):
        pass
    return None


def stop(proc, grace_s=5):
    if proc.poll() is None:
        proc.terminate()
        try:
            return proc.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            proc.kill()
            try:
                return proc.wait(timeout=grace_s)
            except subprocess.TimeoutExpired:
                return None
    return proc.returncode


def start(kernel, append, mem_mib, workdir, accel="tcg", machine="pc", tries=6, extra=None,
          tap=None):
    """Boot kernel (a PVH ELF) with -append append and -m mem_mib (and the QEMU arguments
    in extra, e.g. ICOUNT_ARGS); returns a VM, or raises RuntimeError. A forwarded port
    another process took makes QEMU fail at once; another port is tried then (tries
    times). tap: a tapnet.Namespace the calling thread is in (Namespace.entered()): the
    card is on its tap instead of user networking, reached at its guest_addr."""
    os.makedirs(workdir, exist_ok=True)
    serial = os.path.join(workdir, "serial.log")
    err = os.path.join(workdir, "qemu.err")
    last = ""
    for _ in range(1 if tap is not None else tries):
        if tap is not None:
            host, port, netdev = tap.guest_addr, tap.port, tap.netdev()
        else:
            host, port = "127.0.0.1", probe.free_port()
            netdev = "user,id=n0,hostfwd=tcp:127.0.0.1:%d-:80" % port
        args = (["qemu-system-x86_64"] + accel_args(accel) + machine_args(machine) +
                ["-m", "%dM" % mem_mib, "-nodefaults", "-nographic", "-no-reboot",
                 "-serial", "file:" + serial, "-monitor", "none"] + EXIT_DEVICE +
                ["-kernel", kernel, "-append", append,
                 "-netdev", netdev, "-device", net_device(machine)] + list(extra or []))
        proc, started = launch(args, serial, err)
        vm = VM(proc, port, serial, err, started, host)
        # A failed hostfwd (or tap) is reported before the guest runs (writes its
        # console): wait for the first console byte, or 1 s.
        for _ in range(200):
            if proc.poll() is not None:
                break
            if os.path.exists(serial) and os.path.getsize(serial) > 0:
                break
            time.sleep(0.005)
        if proc.poll() is None:
            return vm
        with open(err, errors="replace") as f:
            last = f.read()
        if "host forwarding" not in last:
            break
    raise RuntimeError("QEMU did not start: " + " | ".join(last.strip().splitlines()[-3:]))


def exec_to_exit_ms(kernel, append=None, mem_mib=16, accel="tcg", machine="pc", limit_s=30):
    """Milliseconds from QEMU's exec to its exit for an image that exits by itself (no
    network, no console), and QEMU's exit status; (None, reason) past limit_s."""
    args = (["qemu-system-x86_64"] + accel_args(accel) + machine_args(machine) +
            ["-m", "%dM" % mem_mib, "-nodefaults", "-nographic", "-no-reboot",
             "-serial", "none", "-monitor", "none"] + EXIT_DEVICE + ["-kernel", kernel])
    if append is not None:
        args += ["-append", append]
    started = time.monotonic()
    try:
        done = subprocess.run(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, timeout=limit_s)
    except subprocess.TimeoutExpired:
        return None, "did not exit within %d s" % limit_s
    ms = (time.monotonic() - started) * 1000.0
    return ms, done.returncode


def version():
    try:
        out = subprocess.run(["qemu-system-x86_64", "--version"], capture_output=True,
                             text=True, timeout=10).stdout
        return out.splitlines()[0].strip()
    except (OSError, subprocess.TimeoutExpired, IndexError):
        return "unknown"


def cmdline_of(pid):
    """A running process's argument list (from /proc), or []."""
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return [a.decode(errors="replace") for a in f.read().split(b"\0") if a]
    except OSError:
        return []


def memory_of(args):
    """The -m value of a QEMU argument list, in MiB, or None."""
    for i, a in enumerate(args[:-1]):
        if a == "-m":
            m = re.match(r"(?:size=)?(\d+)([MG]?)", args[i + 1])
            if m:
                return int(m.group(1)) * (1024 if m.group(2) == "G" else 1)
    return None


def with_netdev(args, netdev, serial):
    """A QEMU argument list (run.sh's, read back from /proc) with its -netdev value
    replaced by netdev (same id: the card keeps its netdev=) and the console sent to
    serial; None when it has no -netdev or is not a QEMU command line."""
    if not args or "qemu-system" not in os.path.basename(args[0]) or "-netdev" not in args:
        return None
    out = []
    for i, a in enumerate(args):
        prev = args[i - 1] if i else ""
        if prev == "-netdev":
            old_id = [p for p in a.split(",") if p.startswith("id=")]
            new_id = [p for p in netdev.split(",") if p.startswith("id=")]
            if old_id != new_id:
                return None
            a = netdev
        elif prev == "-serial" and a.startswith("file:"):
            a = "file:" + serial
        out.append(a)
    return out


def serial_file_of(args):
    """The file a QEMU argument list sends the serial console to (-serial file:PATH or
    a -chardev file,...,path=PATH), or None."""
    for i, a in enumerate(args[:-1]):
        nxt = args[i + 1]
        if a == "-serial" and nxt.startswith("file:"):
            return nxt[5:]
        if a == "-chardev" and nxt.startswith("file,"):
            for part in nxt.split(","):
                if part.startswith("path="):
                    return part[5:]
    return None
