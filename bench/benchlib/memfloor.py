"""memfloor.py - the memory floor: the smallest memory size (MiB) at which a server still
answers, found by bisection over a predicate.

find_floor(up, lo, hi) assumes up(m) is monotone (False below the floor, True from it on)
but measurements are noisy (a probe can time out by bad luck), so the candidate is checked
again before it is accepted: up(floor) must hold again and up(floor - resolution) must fail
again. A contradicted re-check restarts the bisection on the side the evidence points to.
The number of probes is bounded (max_probes); so is every probe, by the predicate itself.
"""


def find_floor(up, lo, hi, resolution=1, max_probes=24, rechecks=1):
    """Smallest m in [lo, hi] (to within resolution MiB) with up(m) true.

    Returns a dict: 'floor' (an int, or None), 'status' ('found', 'always-up': up(lo) held,
    so the floor is lo or below; 'never-up': up(hi) failed; 'unstable': the re-checks kept
    contradicting each other; 'probe-limit': max_probes spent), and 'probes': the list of
    (m, result) in the order they were made.
    """
    if lo > hi:
        raise ValueError("lo %d > hi %d" % (lo, hi))
    if resolution < 1:
        raise ValueError("resolution must be at least 1")
    probes = []

    def probe(m):
        result = bool(up(m))
        probes.append((m, result))
        return result

    def consistent(m, result):
        """m was probed, always with this result."""
        seen = [r for mm, r in probes if mm == m]
        return bool(seen) and all(r == result for r in seen)

    def out(floor, status):
        return {"floor": floor, "status": status, "probes": probes}

    if not probe(hi):
        # One failure at the top could be noise: try once more before giving up.
        if rechecks < 1 or not probe(hi):
            return out(None, "never-up")
    if probe(lo):
        return out(lo, "always-up")
    down, upper = lo, hi  # up(down) failed, up(upper) held
    restarts = 0
    while len(probes) < max_probes:
        while upper - down > resolution and len(probes) < max_probes:
            mid = (down + upper) // 2
            if probe(mid):
                upper = mid
            else:
                down = mid
        if upper - down > resolution:
            break
        # Candidate: upper. Re-check both sides of the boundary.
        confirmed = True
        for _ in range(rechecks):
            if len(probes) + 2 > max_probes:
                return out(upper, "probe-limit")
            if not probe(upper):
                # upper failed this time: the floor is above it (or upper is flaky).
                confirmed = False
                if upper >= hi:
                    return out(None, "unstable")
                down = upper
                upper = min([m for m, _ in probes if m > down and consistent(m, True)] + [hi])
                break
            if probe(down):
                # down answered after all: the floor is at or below down.
                confirmed = False
                if down <= lo:
                    return out(lo, "unstable")
                upper = down
                down = max([m for m, _ in probes if m < upper and consistent(m, False)] + [lo])
                break
        if confirmed:
            return out(upper, "found")
        restarts += 1
        if restarts > 3:
            return out(upper, "unstable")
    return out(upper, "probe-limit")
