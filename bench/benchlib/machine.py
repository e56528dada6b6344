"""machine.py - the machine description stored with the results."""
import datetime
import os
import platform

from . import qemu


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def describe(accel, machine):
    return {
        "cpu_model": cpu_model(),
        "cores": os.cpu_count(),
        "accelerator": accel,
        "qemu_machine": machine,
        "qemu_version": qemu.version(),
        "host_kernel": platform.release(),
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }
