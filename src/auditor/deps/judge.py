"""Judgements on registry metadata: is a look-alike name suspicious, is a package unmaintained.

Signals, in the order they are trusted: npm's security placeholder; the registry's own
download count (npm downloads API, crates.io recent downloads, RubyGems and Packagist
totals); age of the first release; length of the release history (the only usage signal
PyPI, Maven Central and the Go proxy give).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from auditor.deps.interface import FOUND, PackageInfo, parse_time

YOUNG = timedelta(days=180)
STALE = timedelta(days=2 * 365)
FEW_RELEASES = 2
# Below these a package is "little used" (per the registry's counting period).
LOW_DOWNLOADS = {"week": 1_000, "month": 4_000, "90d": 10_000, "total": 50_000}


@dataclass(frozen=True)
class Judgement:
    suspicious: bool | None  # None: the registry did not tell us enough (unknown)
    reason: str


def squat_judgement(info: PackageInfo, now: datetime | None = None) -> Judgement:
    """Is a package whose name resembles a popular one young or little used?"""
    now = now or datetime.now(UTC)
    if info.status != FOUND:
        return Judgement(None, info.error or "registry lookup failed")
    if info.holding:
        return Judgement(True, "the registry replaced it with a security placeholder after removing malware")
    reasons = []
    if info.downloads is not None and info.downloads_period in LOW_DOWNLOADS:
        if info.downloads < LOW_DOWNLOADS[info.downloads_period]:
            reasons.append(f"{info.downloads:,} downloads ({_period(info.downloads_period)})")
    first = parse_time(info.first_release)
    if first is not None and now - first < YOUNG:
        reasons.append(f"first published {max(0, (now - first).days)} days ago")
    if info.release_count is not None and info.release_count <= FEW_RELEASES:
        reasons.append(f"only {info.release_count} release{'s' if info.release_count != 1 else ''}")
    if reasons:
        return Judgement(True, ", ".join(reasons))
    if info.downloads is None and first is None and info.release_count is None:
        return Judgement(None, "the registry gives no age or usage data")
    return Judgement(False, "established")


def _period(period: str | None) -> str:
    return {"week": "last week", "month": "last month", "90d": "last 90 days", "total": "in total"}.get(period or "", "")


def maintenance_problems(info: PackageInfo, version: str | None, registry: str,
                         now: datetime | None = None) -> list[str]:
    """Why a found package looks unmaintained or its pinned version withdrawn (may be empty)."""
    now = now or datetime.now(UTC)
    problems = []
    if info.deprecated:
        problems.append(f"deprecated on {registry}: {info.deprecated}")
    if version and version in info.deprecated_versions:
        problems.append(f"version {version} is deprecated on {registry}: {info.deprecated_versions[version]}")
    if version and version in info.yanked_versions:
        problems.append(f"version {version} was yanked from {registry}")
    last = parse_time(info.last_release)
    if last is not None and now - last > STALE:
        problems.append(f"no release since {last.date().isoformat()} (over {(now - last).days // 365} years)")
    return problems
