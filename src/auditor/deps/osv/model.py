"""OSV records: which package versions an advisory affects, its fixed version and severity.

Range semantics follow the OSV schema's evaluation algorithm: events of a range are sorted
by version and walked; `introduced` opens, `fixed` closes (exclusive), `last_affected`
closes (inclusive), `limit` bounds the range. SEMVER and ECOSYSTEM ranges are compared with
the ecosystem's own ordering (auditor.deps.versions); GIT ranges name commits, which a
manifest never pins, so they are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from auditor.deps.cvss import base_score, severity_for_score
from auditor.deps.names import FROM_OSV, normalize
from auditor.deps.versions import version_key
from auditor.findings import Severity

# GitHub advisories' database_specific.severity words (MODERATE = medium).
_WORDS = {"CRITICAL": Severity.CRITICAL, "HIGH": Severity.HIGH, "MODERATE": Severity.MEDIUM,
          "MEDIUM": Severity.MEDIUM, "LOW": Severity.LOW}


@dataclass(frozen=True)
class Advisory:
    """One advisory as it applies to one package version."""

    id: str
    aliases: tuple[str, ...]
    summary: str
    severity: Severity
    score: float | None  # CVSS v3 base score when the advisory gives a v3 vector
    severity_source: str  # "cvss-v3", "database", or "default" (the advisory rates nothing)
    fixed: str | None  # the first fixed version above the checked one, if any

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "aliases": list(self.aliases), "summary": self.summary,
                "severity": self.severity.label, "cvss": self.score, "fixed": self.fixed}


class BadRecord(ValueError):
    """An OSV record whose shape the schema does not allow; the message says where."""


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise BadRecord(f"{where} is not a list")
    return value


def _objects(value: Any, where: str) -> list[dict[str, Any]]:
    items = _list(value, where)
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise BadRecord(f"{where}[{i}] is not an object")
    return items


def _strings(value: Any, where: str) -> list[str]:
    items = _list(value, where)
    if not all(isinstance(item, str) for item in items):
        raise BadRecord(f"{where} holds a value that is not a string")
    return items


def _checked_affected(aff: dict[str, Any], where: str) -> dict[str, Any]:
    """The parts of one `affected` entry we use, each checked against the OSV schema."""
    out: dict[str, Any] = {}
    if "package" in aff:
        pkg = aff["package"]
        if not isinstance(pkg, dict) or not all(isinstance(pkg.get(k, ""), str) for k in ("name", "ecosystem")):
            raise BadRecord(f"{where}.package is not an object with string name and ecosystem")
        out["package"] = pkg
    if "ranges" in aff:
        ranges = _objects(aff["ranges"], f"{where}.ranges")
        for i, rng in enumerate(ranges):
            for j, event in enumerate(_objects(rng.get("events"), f"{where}.ranges[{i}].events")):
                if not all(isinstance(v, str) for v in event.values()):
                    raise BadRecord(f"{where}.ranges[{i}].events[{j}] holds a value that is not a string")
        out["ranges"] = ranges
    if "versions" in aff:
        out["versions"] = _strings(aff["versions"], f"{where}.versions")
    if "severity" in aff:
        out["severity"] = _objects(aff["severity"], f"{where}.severity")
    for key in ("ecosystem_specific", "database_specific"):
        if key in aff:
            if not isinstance(aff[key], dict):
                raise BadRecord(f"{where}.{key} is not an object")
            out[key] = aff[key]
    return out


def trim(record: Any) -> dict[str, Any]:
    """The parts of an OSV record we use, checked against the schema (BadRecord otherwise);
    keeps caches and indexes small, and lets the matching code trust every shape."""
    if not isinstance(record, dict):
        raise BadRecord("not a JSON object")
    if not isinstance(record.get("id"), str) or not record["id"]:
        raise BadRecord("no string 'id'")
    affected = [_checked_affected(aff, f"affected[{i}]")
                for i, aff in enumerate(_objects(record.get("affected"), "affected"))]
    out = {k: record[k] for k in ("id", "modified", "withdrawn") if k in record}
    out["aliases"] = _strings(record.get("aliases"), "aliases")
    if "summary" in record:
        out["summary"] = str(record["summary"])
    if "severity" in record:
        out["severity"] = _objects(record["severity"], "severity")
    db = record.get("database_specific")
    if isinstance(db, dict) and "severity" in db:
        out["database_specific"] = {"severity": db["severity"]}
    out["affected"] = affected
    return out


def _osv_ecosystem(value: str) -> str:
    """`Debian:11` -> `Debian`; OSV suffixes some ecosystems with a release."""
    return value.split(":", 1)[0]


def _same_package(aff: dict[str, Any], ecosystem: str, name: str) -> bool:
    pkg = aff.get("package") or {}
    eco = FROM_OSV.get(_osv_ecosystem(str(pkg.get("ecosystem", ""))))
    return eco == ecosystem and normalize(ecosystem, str(pkg.get("name", ""))) == normalize(ecosystem, name)


_ZERO = (0,)


def _range_hit(ecosystem: str, version: Any, events: list[dict[str, str]]) -> tuple[bool | None, Any]:
    """(affected?, key of the closing fixed version) for one range; None when a boundary
    does not parse in the ecosystem (unknown beats a silent "not affected")."""
    keyed: list[tuple[tuple[Any, ...], int, str, str]] = []
    order = {"introduced": 0, "fixed": 1, "last_affected": 2, "limit": 3}
    for event in events:
        for kind, value in event.items():
            if kind not in order:
                continue
            if kind == "introduced" and value == "0":
                keyed.append((_ZERO, order[kind], kind, value))
                continue
            key = version_key(ecosystem, str(value))
            if key is None:
                return None, None
            keyed.append(((1, key), order[kind], kind, value))
    keyed.sort(key=lambda e: (e[0], e[1]))
    affected = False
    fixed_key: Any = None
    for vkey, _, kind, text in keyed:
        bound = vkey[1] if len(vkey) > 1 else None
        if kind == "introduced":
            if bound is None or version >= bound:
                affected = True
        elif kind == "fixed":
            if version >= bound:
                affected = False
            elif affected and fixed_key is None:
                fixed_key = (bound, text)
        elif kind == "last_affected":
            if version > bound:
                affected = False
        elif kind == "limit" and version >= bound:
            affected = False
    return affected, fixed_key


def match(record: dict[str, Any], ecosystem: str, name: str, version: str) -> tuple[bool | None, str | None]:
    """Whether `record` affects `name`@`version` in `ecosystem`, and the fixed version.

    Returns (True, fixed|None), (False, None), or (None, None) when the version or a range
    boundary cannot be compared (reported as unknown, never as safe)."""
    if record.get("withdrawn"):
        return False, None
    vkey = version_key(ecosystem, version)
    unknown = False
    fixed: list[tuple[Any, str]] = []
    hit = False
    for aff in record.get("affected") or []:
        if not _same_package(aff, ecosystem, name):
            continue
        listed = aff.get("versions") or []
        if version in listed or (vkey is not None and any(version_key(ecosystem, v) == vkey for v in listed)):
            hit = True
        for rng in aff.get("ranges") or []:
            if rng.get("type") not in ("SEMVER", "ECOSYSTEM"):
                continue
            if vkey is None:
                unknown = True
                continue
            affected, closing = _range_hit(ecosystem, vkey, rng.get("events") or [])
            if affected is None:
                unknown = True
            elif affected:
                hit = True
                if closing is not None:
                    fixed.append(closing)
    if hit:
        return True, min(fixed, key=lambda f: f[0])[1] if fixed else None
    return (None, None) if unknown else (False, None)


def fixed_above(record: dict[str, Any], ecosystem: str, name: str, version: str) -> str | None:
    """The smallest `fixed` event above `version` for the package: the fix to upgrade to
    when the OSV API (not us) decided the version is affected."""
    vkey = version_key(ecosystem, version)
    best: tuple[Any, str] | None = None
    for aff in record.get("affected") or []:
        if not _same_package(aff, ecosystem, name):
            continue
        for rng in aff.get("ranges") or []:
            for event in rng.get("events") or []:
                value = event.get("fixed")
                key = version_key(ecosystem, str(value)) if value else None
                if key is None or (vkey is not None and not key > vkey):
                    continue
                if best is None or key < best[0]:
                    best = (key, str(value))
    return best[1] if best else None


def severity_of(record: dict[str, Any], ecosystem: str, name: str) -> tuple[Severity, float | None, str]:
    """(severity, CVSS v3 score, source): the highest CVSS v3 base score among the record's
    and the package's vectors; else the database's own rating; else medium ("default")."""
    vectors = [s.get("score", "") for s in record.get("severity") or [] if s.get("type") == "CVSS_V3"]
    ratings: list[str] = []
    for aff in record.get("affected") or []:
        if not _same_package(aff, ecosystem, name):
            continue
        vectors += [s.get("score", "") for s in aff.get("severity") or [] if s.get("type") == "CVSS_V3"]
        for holder in ("ecosystem_specific", "database_specific"):
            word = (aff.get(holder) or {}).get("severity")
            if isinstance(word, str):
                ratings.append(word)
    scores = [s for v in vectors if (s := base_score(str(v))) is not None]
    if scores:
        top = max(scores)
        return severity_for_score(top) or Severity.LOW, top, "cvss-v3"
    word = (record.get("database_specific") or {}).get("severity")
    if isinstance(word, str):
        ratings.append(word)
    rated = [_WORDS[w.upper()] for w in ratings if w.upper() in _WORDS]
    if rated:
        return max(rated), None, "database"
    return Severity.MEDIUM, None, "default"


def advisory(record: dict[str, Any], ecosystem: str, name: str, fixed: str | None) -> Advisory:
    severity, score, source = severity_of(record, ecosystem, name)
    return Advisory(
        id=str(record.get("id", "")), aliases=tuple(record.get("aliases") or ()),
        summary=str(record.get("summary") or "").strip(), severity=severity, score=score,
        severity_source=source, fixed=fixed,
    )


@dataclass(frozen=True)
class VulnQuery:
    """One package version to look up. `ecosystem` is the stack id (pypi, npm, ...)."""

    ecosystem: str
    name: str
    version: str

    @property
    def key(self) -> str:
        return f"{self.ecosystem}:{normalize(self.ecosystem, self.name)}:{self.version}"


@dataclass(frozen=True)
class VulnAnswer:
    """The advisories for one query; `status` is `found` (checked; possibly none) or
    `unknown` (could not check: `error` says why)."""

    status: str
    advisories: tuple[Advisory, ...] = ()
    error: str = ""


def answer_from_records(query: VulnQuery, records: list[dict[str, Any]], trust_match: bool) -> VulnAnswer:
    """Advisories from candidate records. With `trust_match` (the OSV API already matched
    the version) a record we cannot re-match still counts; otherwise it must match here."""
    found: list[Advisory] = []
    unsure: list[str] = []
    for record in records:
        affected, fixed = match(record, query.ecosystem, query.name, query.version)
        if affected is False and not trust_match:
            continue
        if affected is None and not trust_match:
            unsure.append(str(record.get("id")))
            continue
        if affected is not True:
            fixed = fixed_above(record, query.ecosystem, query.name, query.version)
        found.append(advisory(record, query.ecosystem, query.name, fixed))
    if unsure and not found:
        return VulnAnswer("unknown", error=f"cannot compare version {query.version} with {', '.join(unsure)}")
    found.sort(key=lambda a: (-a.severity, a.id))
    return VulnAnswer("found", tuple(found))
