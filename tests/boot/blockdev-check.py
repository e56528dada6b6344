"""blockdev-check.py DISK - where tests/ports/blockdev wrote its patterns, the disk file
holds them, and pattern 0 (the host's) or the sparse file's zeros around them."""
import os
import sys

MiB, GiB = 1 << 20, 1 << 30


def pattern(off, n, tag):
    return bytes((o * 7 + tag * 13 + (o >> 9)) & 0xFF for o in range(off, off + n))


def main():
    path = sys.argv[1]
    size = os.path.getsize(path)
    checks = [
        (0, MiB, 0), (MiB, 256 * 1024, 1), (MiB + 256 * 1024, MiB - 256 * 1024, 0),
        (2 * MiB, 500, 0), (2 * MiB + 500, 100, 2), (2 * MiB + 600, MiB - 600, 0),
        (3 * MiB, 512, 0), (3 * MiB + 512, MiB, 3),
        (4 * GiB + 3 * 4096, 17, None), (4 * GiB + 3 * 4096 + 17, 9000, 4),
        (4 * GiB + 3 * 4096 + 9017, 100, None),
        (size - 512, 412, 5), (size - 100, 100, 6),
    ]
    with open(path, "rb") as f:
        for off, n, tag in checks:
            f.seek(off)
            got = f.read(n)
            want = bytes(n) if tag is None else pattern(off, n, tag)
            if got != want:
                bad = next(i for i in range(n) if got[i] != want[i])
                print(f"disk at {off + bad}: {got[bad]}, wanted {want[bad]} (pattern {tag})")
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
