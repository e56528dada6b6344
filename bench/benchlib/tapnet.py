"""tapnet.py - the bench's second network backend: a tap device inside a network namespace
that the bench creates for its run and deletes at its end.

    ns = tapnet.Namespace(os.getpid())
    try:
        ns.create()              # ip netns add vmos-bench-PID; tap0 inside it, lo up,
                                 # the clients' port range and TIME-WAIT bound
        with ns.entered():       # this thread in the namespace; QEMU and wrk inherit it
            ...                  # QEMU with ns.netdev(), GETs to ns.guest_addr:80
    finally:
        ns.delete()              # the tap, then the namespace; SIGINT/SIGTERM held meanwhile

The main namespace is never changed: no address, route or device is added there. The
addresses inside the namespace are the ones both guests already set statically under
user networking (VMOS's ip=10.0.2.15/24,10.0.2.2; bench/linux-guest/init's fixed eth0
settings), so neither guest's configuration differs between the backends: the tap's
host side is 10.0.2.2/24, the guest 10.0.2.15.

Entering the namespace: Python 3.11 has no os.setns (3.12 has), so the bench calls the C
library's setns(2) through ctypes on its own (single) thread, with its old namespace kept
open to return to. QEMU, wrk and the first-200 poll then run in the namespace exactly as
they run under user networking: QEMU is the bench's child, exec'd by it (the same time
origin), and the poll is the same code (probe.wait_first_200).

Pure, unit-tested: parse_backends, unavailable_reason, netdev_arg, names, vmos_ip_option.
"""
import contextlib
import ctypes
import os
import shutil
import signal
import subprocess

BACKENDS = ("user", "tap")
HOST_ADDR = "10.0.2.2"     # the tap, inside the namespace (the guests' gateway)
GUEST_ADDR = "10.0.2.15"   # both guests' static address
PREFIX_LEN = 24
GUEST_PORT = 80
TAP_NAME = "tap0"          # the namespace is the bench's own: a fixed name is unique in it
NS_PREFIX = "vmos-bench-"
NETNS_DIRS = ("/run/netns", "/var/run/netns")  # where `ip netns add` mounts the namespace
CLONE_NEWNET = 0x40000000
IP_TIMEOUT_S = 10
CLIENT_TIME_WAITS = 8192   # TIME-WAIT sockets the namespace keeps (Namespace.create)


class Error(Exception):
    """The namespace or its tap could not be set up (or entered); str() says why."""


def parse_backends(text):
    """'user,tap' -> ['user', 'tap'] (in BACKENDS order, no repeats); ValueError for an
    unknown or empty list."""
    words = [w.strip() for w in (text or "").split(",") if w.strip()]
    if not words:
        raise ValueError("no backend named (user, tap)")
    for w in words:
        if w not in BACKENDS:
            raise ValueError("unknown backend %r (user, tap)" % w)
    return [b for b in BACKENDS if b in words]


def unavailable_reason(euid, tun_exists, ip_path, setns_ok):
    """Why the tap backend cannot run here, or None when it can: it needs root (network
    namespaces and tap devices), /dev/net/tun, iproute2's ip and the C library's setns."""
    if euid != 0:
        return "the tap backend needs root (network namespaces, tap devices)"
    if not tun_exists:
        return "no /dev/net/tun (no tun/tap driver)"
    if not ip_path:
        return "no ip command (iproute2; tools/setup.sh installs it)"
    if not setns_ok:
        return "the C library has no setns()"
    return None


def names(pid):
    """(namespace, tap device) for the bench run with this pid: unique per run."""
    return NS_PREFIX + str(pid), TAP_NAME


def netdev_arg(ifname, netdev_id="n0"):
    """QEMU's -netdev value for the namespace's tap: no ifup/ifdown scripts (the bench
    configured the tap already; QEMU only attaches to it)."""
    return "tap,id=%s,ifname=%s,script=no,downscript=no" % (netdev_id, ifname)


def vmos_ip_option(guest=GUEST_ADDR, prefix=PREFIX_LEN, gateway=HOST_ADDR):
    """VMOS's kernel option for the static address (net/netcfg.c: ip=ADDR/PREFIX,GW)."""
    return "ip=%s/%d,%s" % (guest, prefix, gateway)


def _libc_setns():
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.setns
    except (OSError, AttributeError):
        return None


def _setns(fd):
    fn = _libc_setns()
    if fn is None:
        raise Error("the C library has no setns()")
    if fn(fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise Error("setns: %s" % os.strerror(err))


def check():
    """unavailable_reason() for this machine and process."""
    return unavailable_reason(os.geteuid(), os.path.exists("/dev/net/tun"),
                              shutil.which("ip"), _libc_setns() is not None)


@contextlib.contextmanager
def signals_held():
    """SIGINT and SIGTERM wait (blocked) until the block ends: a second Ctrl-C during the
    clean-up does not leave the namespace behind."""
    held = {signal.SIGINT, signal.SIGTERM}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


class Namespace:
    """The run's namespace: name, ifname (the tap in it), host_addr (the tap's address),
    guest_addr and port (where the guest's server is reached from inside)."""

    def __init__(self, pid):
        self.name, self.ifname = names(pid)
        self.host_addr, self.guest_addr, self.port = HOST_ADDR, GUEST_ADDR, GUEST_PORT
        self.created = False
        self.log = []  # every ip command run and its outcome, for results.json

    def netdev(self):
        return netdev_arg(self.ifname)

    def _ip(self, args, check=True):
        cmd = ["ip"] + args
        try:
            done = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                                  text=True, timeout=IP_TIMEOUT_S)
        except (OSError, subprocess.TimeoutExpired) as e:
            self.log.append({"cmd": " ".join(cmd), "error": str(e)})
            if check:
                raise Error("%s: %s" % (" ".join(cmd), e))
            return False
        self.log.append({"cmd": " ".join(cmd), "status": done.returncode})
        if done.returncode != 0 and check:
            raise Error("%s failed: %s" % (" ".join(cmd), done.stderr.strip()[-200:]))
        return done.returncode == 0

    def path(self):
        for d in NETNS_DIRS:
            p = os.path.join(d, self.name)
            if os.path.exists(p):
                return p
        return None

    def exists(self):
        return self.path() is not None

    def create(self):
        """ip netns add NAME, the tap inside it (ip netns exec NAME ip tuntap add ...),
        its address, the tap and lo up. Raises Error (after deleting what was made)."""
        if self.exists():
            raise Error("a network namespace %s exists already" % self.name)
        with signals_held():
            self._ip(["netns", "add", self.name])
            self.created = True
        try:
            self._ip(["netns", "exec", self.name, "ip", "tuntap", "add", "dev", self.ifname,
                      "mode", "tap"])
            self._ip(["-n", self.name, "addr", "add", "%s/%d" % (self.host_addr, PREFIX_LEN),
                      "dev", self.ifname])
            self._ip(["-n", self.name, "link", "set", self.ifname, "up"])
            self._ip(["-n", self.name, "link", "set", "lo", "up"])
            # The clients' side of the namespace (wrk and the load tools close first, so
            # the TIME-WAITs are theirs): all ports for connects and at most
            # CLIENT_TIME_WAITS of them waiting. Linux's defaults (32768-60999, connects
            # on even ports first) run out after some 14000 closed connections: a guest
            # that answers 6000 Connection: close requests a second then sees connects
            # slow to ~500 a second, which is the client's limit, not the guest's.
            self._ip(["netns", "exec", self.name, "sysctl", "-qw",
                      "net.ipv4.ip_local_port_range=1024 65535",
                      "net.ipv4.tcp_max_tw_buckets=%d" % CLIENT_TIME_WAITS])
        except Error:
            self.delete()
            raise

    def delete(self):
        """The tap, then the namespace (idempotent); True when the namespace is gone."""
        if not self.created:
            return not self.exists()
        with signals_held():
            if self.exists():
                self._ip(["-n", self.name, "link", "del", self.ifname], check=False)
                self._ip(["netns", "del", self.name], check=False)
            self.created = self.exists()
        return not self.created

    @contextlib.contextmanager
    def entered(self):
        """This thread (the bench's only one) in the namespace for the block; back in its
        own namespace afterwards, also when the block raises (SIGTERM's SystemExit too).
        Processes started inside stay in the namespace: stop them inside the block."""
        path = self.path()
        if path is None:
            raise Error("no network namespace %s" % self.name)
        home = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
        try:
            target = os.open(path, os.O_RDONLY)
            try:
                _setns(target)
            finally:
                os.close(target)
            try:
                yield self
            finally:
                with signals_held():
                    _setns(home)
        finally:
            os.close(home)
