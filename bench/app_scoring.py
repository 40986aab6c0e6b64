"""Helpers shared by the app-corpus benches (bench/rails_apps, bench/node_apps): findings grouped
by file, the tuning set's misses and false alarms printed with the findings near them (-v), and
the holdout's per-entry lists dropped before a run is recorded."""

from __future__ import annotations

from collections import defaultdict


def by_path(scans: dict[str, list[dict]]) -> dict[str, dict[str, list[dict]]]:
    """app -> file path -> that file's findings."""
    out: dict[str, dict[str, list[dict]]] = {}
    for app, fs in scans.items():
        grouped: dict[str, list[dict]] = defaultdict(list)
        for f in fs:
            grouped[f["path"]].append(f)
        out[app] = grouped
    return out


def print_tuning_misses(tuning: dict, findings: dict[str, dict[str, list[dict]]], near: int = 12) -> None:
    """Each tuning miss and false alarm ("app/path:line (type)") with the findings within `near`
    lines of it. Never called on a holdout set."""
    for cat, c in tuning["categories"].items():
        for kind, items in (("MISS ", c["missed"]), ("ALARM", c["false_alarms"])):
            for where in items:
                app, rest = where.split("/", 1)
                path, line = rest.split(" ")[0].rsplit(":", 1)
                close = [f"{f['category']}:{f['line']}" for f in findings[app].get(path, [])
                         if line == "-" or abs(f["line"] - int(line)) <= near]
                print(f"{kind} {cat:24} {where}  near: {', '.join(close) or '-'}")


def drop_entry_lists(results: dict, names: tuple[str, ...] = ("holdout", "all")) -> None:
    """Keep only the scores of these sets in the record (the holdout's misses are never kept)."""
    for name in names:
        for c in results[name]["categories"].values():
            c.pop("missed"), c.pop("false_alarms")


def print_summary(title: str, name: str, result: dict, first: dict | None) -> None:
    """One line per scored set: the average, caught and flagged, and the first run's average."""
    print(f"{title}, {name}: average (TPR - FPR) {result['average']:+.1f} points; "
          f"caught {result['caught']}, false alarms {result['flagged']}"
          + (f"; first run {first[name]['average']:+.1f}" if first else ""))
