#!/usr/bin/env python3
"""disk.py - the disk rows of make bench: bench/diskbench (sequential write and read of a
64 MiB file in MB/s, 4 KiB random reads of it in IOPS) and sqlite's speedtest1 with its
database on the disk, VMOS against the same programs in the Linux guest
(bench/linux-guest/servers.sh diskbench|speedtest1: Debian's kernel, its ext4 with the
default options, diskbench built statically from the same source, speedtest1 as the
servers bench builds it).

Both get the same disk backend: a fresh 256 MiB ext4 disk image per run (tools/mkdisk.sh),
virtio-blk-pci on QEMU's pc machine, cache=writeback (the host's page cache behind the
device; guest flushes are the host's fdatasync). VMOS mounts it with
mount=/dev/vda:/data (its writes journaled: data=journal), the Linux guest with
`mount -t ext4` (data=ordered); diskbench drops the Linux guest's page cache before each
read phase, so that both read from the device. Runs (default 3) give median (min-max).
The table goes to stdout, the figures to BUILD/bench/disk.json; exit 1 when a figure could
not be measured. --tap prints one TAP line per program and subject (the bench tests).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import qemu, stats, table  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINUX_APPEND = "console=ttyS0 panic=-1 quiet"
PROGRAMS = {
    "diskbench": {"vmos_port": "bench/diskbench", "elf": "diskbench.elf", "mem": 128,
                  "linux_mem": 256, "args": "/data 64 5"},
    "speedtest1": {"vmos_port": "speedtest1", "elf": "speedtest1.elf", "mem": 128,
                   "linux_mem": 256, "args": "--size 25 /data/speedtest1.db"},
}
FIGURES = {
    "diskbench": [("seq_write", "sequential write (64 MiB, fsync)", "MB/s", stats.HIGHER),
                  ("seq_read", "sequential read", "MB/s", stats.HIGHER),
                  ("rand_read", "4 KiB random reads", "IOPS", stats.HIGHER)],
    "speedtest1": [("speedtest1_s", "speedtest1 --size 25 on the disk (guest clock)", "s",
                    stats.LOWER)],
}


def log(msg):
    print("disk.py: " + msg, file=sys.stderr, flush=True)


def parse(program, text):
    """{figure: value} from the program's console output; a missing one is absent."""
    out = {}
    if program == "diskbench":
        for key, name in (("seq_write", "seq-write"), ("seq_read", "seq-read"),
                          ("rand_read", "rand-read-4k")):
            m = re.search(r"^diskbench: %s ([0-9.]+) " % name, text, re.M)
            if m:
                out[key] = float(m.group(1))
    else:
        m = re.search(r"TOTAL\.+\s*([0-9]+(?:\.[0-9]+)?)s", text)
        if m:
            out["speedtest1_s"] = float(m.group(1))
    return out


def build_vmos(program, build):
    cfg = PROGRAMS[program]
    done = subprocess.run(["make", "--no-print-directory", "-s", "BUILD=" + build,
                           "PORT=" + cfg["vmos_port"], "image"], cwd=REPO, capture_output=True,
                          text=True, timeout=1800)
    if done.returncode != 0:
        raise RuntimeError("make PORT=%s image failed: %s" % (cfg["vmos_port"],
                                                              done.stderr.strip()[-300:]))
    return {"kernel": os.path.join(build, cfg["elf"]), "initrd": None,
            "append": "mount=/dev/vda:/data -- " + cfg["args"], "mem": cfg["mem"]}


def build_linux(program, build):
    cfg = PROGRAMS[program]
    outdir = os.path.join(build, "linux-guest")
    done = subprocess.run(["bash", "bench/linux-guest/servers.sh", outdir, program], cwd=REPO,
                          capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        raise RuntimeError("servers.sh %s failed: %s" % (program, done.stderr.strip()[-300:]))
    return {"kernel": os.path.join(outdir, "vmlinuz"),
            "initrd": os.path.join(outdir, program, "initramfs.img"),
            "append": LINUX_APPEND + " -- " + cfg["args"], "mem": cfg["linux_mem"]}


def run_once(guest, workdir, accel, limit_s):
    """Boot on a fresh disk until the program's end: ({figure: value}, reason or None)."""
    os.makedirs(workdir, exist_ok=True)
    disk = os.path.join(workdir, "disk.ext4")
    subprocess.run(["bash", "tools/mkdisk.sh", disk, "256M"], cwd=REPO, check=True,
                   capture_output=True, timeout=120)
    serial, err = os.path.join(workdir, "serial.log"), os.path.join(workdir, "qemu.err")
    args = (["qemu-system-x86_64"] + qemu.accel_args(accel) + qemu.machine_args("pc") +
            ["-m", "%dM" % guest["mem"], "-nodefaults", "-nographic", "-no-reboot",
             "-serial", "file:" + serial, "-monitor", "none"] + qemu.EXIT_DEVICE +
            ["-kernel", guest["kernel"], "-append", guest["append"]] +
            (["-initrd", guest["initrd"]] if guest["initrd"] else []) +
            ["-drive", "file=%s,format=raw,if=none,id=d0,cache=writeback" % disk,
             "-device", "virtio-blk-pci,drive=d0",
             "-netdev", "user,id=n0", "-device", qemu.net_device("pc")])
    proc, _ = qemu.launch(args, serial, err)
    deadline = time.monotonic() + limit_s
    while proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    reason = None
    if proc.poll() is None:
        reason = "did not finish within %d s" % limit_s
    qemu.stop(proc)
    os.unlink(disk)
    return qemu.read_text(serial), reason


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--smoke", action="store_true", help="one run of each (the bench tests)")
    ap.add_argument("--runs", type=int)
    ap.add_argument("--programs", default=",".join(PROGRAMS))
    ap.add_argument("--subjects", default="vmos,linux")
    ap.add_argument("--tap", action="store_true")
    ap.add_argument("--build", default=os.environ.get("BUILD", "build"))
    cfg = ap.parse_args()
    cfg.build = os.path.abspath(cfg.build)
    accel = os.environ.get("ACCEL", "tcg")
    runs = cfg.runs or (1 if cfg.smoke else 3)
    programs = [p for p in cfg.programs.split(",") if p]
    subjects = [s for s in cfg.subjects.split(",") if s]
    for p in programs:
        if p not in PROGRAMS:
            ap.error("unknown program %s (known: %s)" % (p, ", ".join(PROGRAMS)))
    workroot = os.path.join(cfg.build, "bench", "disk")
    results, failed = {}, False
    for program in programs:
        for subject in subjects:
            cells = results.setdefault(program, {})
            try:
                guest = (build_vmos if subject == "vmos" else build_linux)(program, cfg.build)
            except (RuntimeError, subprocess.SubprocessError, OSError) as e:
                log("%s %s: %s" % (subject, program, e))
                for key, _, _, _ in FIGURES[program]:
                    cells.setdefault(key, {})[subject] = {"na": str(e)[:160]}
                failed = True
                continue
            values, reasons = {}, {}
            for run in range(runs):
                log("%s %s: run %d of %d" % (subject, program, run + 1, runs))
                text, reason = run_once(guest, os.path.join(workroot, subject, program,
                                                            "run%d" % run), accel, 900)
                got = parse(program, text)
                for key, _, _, _ in FIGURES[program]:
                    values.setdefault(key, []).append(got.get(key))
                    if key not in got:
                        why = reason or "no figure in the output (%s)" % " | ".join(
                            text.strip().splitlines()[-2:])[:120]
                        reasons.setdefault(key, why)
                        log("%s %s: %s: %s" % (subject, program, key, why))
            for key, _, _, _ in FIGURES[program]:
                summary = stats.summarize(values.get(key, []))
                if summary is None:
                    summary = {"na": reasons.get(key, "not measured")}
                if key in reasons:
                    failed = True
                cells.setdefault(key, {})[subject] = summary

    columns = [(s, {"vmos": "VMOS", "linux": "Linux guest"}[s]) for s in subjects]
    figures, flat = [], {}
    for program in programs:
        for key, label, unit, better in FIGURES[program]:
            figures.append({"key": program + "." + key, "label": label, "unit": unit,
                            "better": better})
            flat[program + "." + key] = results[program].get(key, {})
    text = table.render(figures, flat, columns, "linux" if "linux" in subjects else columns[0][0])
    if cfg.tap:
        n = 0
        for program in programs:
            for subject in subjects:
                missing = [key for key, _, _, _ in FIGURES[program]
                           if "na" in results[program][key][subject]]
                n += 1
                print("%s %d - disk bench: %s in %s: %s" % (
                    "not ok" if missing else "ok", n, program, subject,
                    "not measured: " + ", ".join(missing) if missing else "every figure measured"))
        for line in text.splitlines():
            print("# " + line)
    else:
        print(text)
    os.makedirs(os.path.join(cfg.build, "bench"), exist_ok=True)
    name = "disk-smoke.json" if cfg.smoke else "disk.json"
    with open(os.path.join(cfg.build, "bench", name), "w") as f:
        json.dump({"qemu": qemu.version(), "accel": accel, "runs": runs, "results": results},
                  f, indent=1)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
