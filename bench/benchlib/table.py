"""table.py - the printed table: one row per figure, one column per subject, with the
ratio of each subject to the reference column (the Linux guest).

A cell is a summary from stats.summarize ("median (min-max)", or just the value for one
run) or n/a with a reason; the reasons are numbered notes under the table, one number per
distinct reason. A summary with 'notes' (the runs a stop left out: bench.py's
Collector) shows their numbers after it ("850 (800-900) [6]"); a cell with 'stopped'
(a stop left out every run) shows "stopped [6]" instead of n/a.
"""
from . import stats


def format_number(x):
    """Three or so significant digits, no exponent for the sizes met here."""
    if x is None:
        return "n/a"
    a = abs(x)
    if a >= 100 or float(x).is_integer():
        return "%.0f" % x
    if a >= 10:
        return "%.1f" % x
    if a >= 1:
        return "%.2f" % x
    return "%.3g" % x


def format_summary(summary):
    """'median (min-max)' for several runs, 'value' for one."""
    if summary["n"] == 1 or summary["min"] == summary["max"]:
        return format_number(summary["median"])
    return "%s (%s-%s)" % (format_number(summary["median"]), format_number(summary["min"]),
                           format_number(summary["max"]))


def cell_value(cell):
    """The median of a cell, or None for n/a."""
    if cell and "median" in cell:
        return cell["median"]
    return None


def render(figures, results, subjects, reference, ratio_title=None):
    """The table as text.

    figures: a list of dicts {'key', 'label', 'unit', 'better'} in row order;
    results: {figure key: {subject key: summary or {'na': reason}}};
    subjects: a list of (key, column title) in column order;
    reference: the subject key ratios are taken against; it has no ratio column;
    ratio_title: the ratio columns' title ("vs " and the reference's title by default).
    """
    notes = []

    def number(reason):
        if reason not in notes:
            notes.append(reason)
        return notes.index(reason) + 1

    def note(reason):
        return "n/a [%d]" % number(reason)

    def refs(reasons):
        return "[%s]" % ",".join(str(number(r)) for r in reasons)

    header = ["figure"]
    for key, title in subjects:
        header.append(title)
        if key != reference:
            header.append(ratio_title or "vs " + dict(subjects).get(reference, reference))
    rows = [header]
    for fig in figures:
        row = ["%s (%s)" % (fig["label"], fig["unit"]) if fig.get("unit") else fig["label"]]
        cells = results.get(fig["key"], {})
        ref_value = cell_value(cells.get(reference))
        for key, _ in subjects:
            cell = cells.get(key)
            if cell is None:
                row.append("n/a")
            elif cell.get("stopped"):
                row.append("stopped " + refs(cell.get("notes") or [cell["na"]]))
            elif "na" in cell:
                row.append(note(cell["na"]))
            elif cell.get("notes"):
                row.append(format_summary(cell) + " " + refs(cell["notes"]))
            else:
                row.append(format_summary(cell))
            if key != reference:
                r = stats.ratio(cell_value(cell), ref_value)
                row.append(stats.format_ratio(r, fig["better"]) if r is not None else "")
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = []
    for n, row in enumerate(rows):
        parts = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:])]
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    for i, reason in enumerate(notes):
        lines.append("[%d] %s" % (i + 1, reason))
    return "\n".join(lines) + "\n"
