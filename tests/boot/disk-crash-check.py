"""disk-crash-check.py DUMP LOG... - after a crash test's kills: every file the image said
it had fsynced ("synced N" in the serial logs) is in DUMP (the disk's /c, dumped by
debugfs from a journal-replayed copy) whole and byte for byte, unless a later log line
said it was unlinked (or it may have been); /c/cur is whole and one of the versions written at or after the
last "renamed N". The pattern is tests/ports/disk/disk.c's."""
import os
import re
import sys


def pattern(size, tag):
    return bytes((off * 31 + tag * 7 + (off >> 12)) & 0xFF for off in range(size))


def crash_size(n):
    return 1 + (n * 7919) % (48 * 1024)


def main():
    dump, logs = sys.argv[1], sys.argv[2:]
    synced, unlinked, renamed = set(), set(), -1
    for log in logs:
        with open(log, errors="replace") as f:
            for line in f:
                m = re.match(r"^(synced|renamed|unlinked) (\d+)$", line.strip())
                if not m:
                    continue
                n = int(m.group(2))
                if m.group(1) == "synced":
                    synced.add(n)
                elif m.group(1) == "unlinked":
                    unlinked.add(n)
                else:
                    renamed = max(renamed, n)
    problems = []
    for n in sorted(synced - unlinked):
        path = os.path.join(dump, f"f{n}")
        if not os.path.exists(path):
            # The image unlinks f(n) right after "synced n+15" (when n % 16 == 0), before
            # it says "unlinked n": a kill in between may leave it gone, rightly.
            if not (n % 16 == 0 and n + 15 in synced):
                problems.append(f"f{n} was fsynced and is missing")
            continue
        with open(path, "rb") as f:
            data = f.read()
        if data != pattern(crash_size(n), n % 251):
            problems.append(f"f{n} was fsynced and has {len(data)} bytes that differ")
    for n in sorted(unlinked):
        if os.path.exists(os.path.join(dump, f"f{n}")):
            problems.append(f"f{n} was unlinked and synced, and is back")
    if renamed >= 0:
        path = os.path.join(dump, "cur")
        if not os.path.exists(path):
            problems.append("cur is missing after a rename replaced it")
        else:
            with open(path, "rb") as f:
                data = f.read()
            ok = any(data == pattern(3000 + n % 1000, n % 251)
                     for n in range(renamed, renamed + 64, 4))
            if not ok:
                problems.append(f"cur ({len(data)} bytes) is no version from {renamed} on")
    for p in problems[:10]:
        print(p)
    print(f"{len(synced)} fsynced files, {len(unlinked)} unlinked, last rename {renamed}:"
          f" {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
