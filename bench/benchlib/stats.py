"""stats.py - summaries of repeated runs, and ratios against a reference column.

A summary is min, median and max of a figure's values over the runs. A ratio is
subject / reference; whether that is good depends on the figure's direction: lower is
better for times, sizes and memory, higher is better for requests per second.
"""

LOWER = "lower"
HIGHER = "higher"


def median(values):
    """The median of a non-empty sequence (the mean of the middle two for an even count)."""
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        raise ValueError("median of no values")
    mid = n // 2
    if n % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2


def summarize(values):
    """{'min','median','max','n','values'} of the numbers in values (None entries, failed
    runs, are left out); None when no number is left."""
    numbers = [v for v in values if v is not None]
    if not numbers:
        return None
    return {
        "min": min(numbers),
        "median": median(numbers),
        "max": max(numbers),
        "n": len(numbers),
        "values": list(numbers),
    }


def ratio(value, reference):
    """value / reference, or None when either is missing or the reference is not positive."""
    if value is None or reference is None or reference <= 0:
        return None
    return value / reference


def is_better(r, better):
    """True when ratio r (subject / reference) favours the subject, False when it favours
    the reference, None for a tie (exactly 1) or no ratio. better: LOWER or HIGHER."""
    if better not in (LOWER, HIGHER):
        raise ValueError("direction must be 'lower' or 'higher', not %r" % (better,))
    if r is None or r == 1:
        return None
    return (r < 1) if better == LOWER else (r > 1)


def format_ratio(r, better):
    """'x0.31 better', 'x3.20 worse', 'x1.00 same' or 'n/a' (two decimals; below 0.01 or
    from 100 up, two significant digits and no rounding to zero)."""
    if r is None:
        return "n/a"
    if r >= 100:
        text = "x%.0f" % r
    elif r >= 0.01 or r == 0:
        text = "x%.2f" % r
    else:
        text = "x%.2g" % r
    verdict = is_better(r, better)
    if text == "x1.00" or verdict is None:
        return text + " same"
    return text + (" better" if verdict else " worse")
