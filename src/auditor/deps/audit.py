"""`audit_dependencies`: every check over a list of manifest dependencies, in one pass.

Order of work: pick registry targets; answer what the cache can; ask registries and OSV
concurrently for the rest (never when offline); then judge and build findings. Each distinct
package is looked up once however many manifests name it, and each distinct version is
checked for advisories once.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from auditor.deps.cache import DiskCache
from auditor.deps.config import DepsConfig
from auditor.deps.findings import FindingBuilder
from auditor.deps.http import ANSWER_ERRORS, Http
from auditor.deps.interface import FOUND, MISSING, UNKNOWN, PackageInfo
from auditor.deps.judge import maintenance_problems, squat_judgement
from auditor.deps.names import fold
from auditor.deps.osv.model import VulnAnswer, VulnQuery
from auditor.deps.osv.offline import OfflineDatabase
from auditor.deps.osv.online import OsvApi
from auditor.deps.popular import popular_index
from auditor.deps.ranges import RESOLVERS, resolve_range
from auditor.deps.registries import registry_for
from auditor.deps.registries.npm import NpmRegistry
from auditor.deps.select import Target, private_npm_scopes, target_for
from auditor.findings import Finding
from auditor.stack.model import Dependency

Progress = Callable[[int, int], None]


@dataclass
class DepsAudit:
    findings: list[Finding] = field(default_factory=list)
    packages: int = 0  # distinct registry packages checked
    versions: int = 0  # distinct package versions checked for advisories
    unknown: int = 0  # lookups that could not be answered
    resolved_ranges: int = 0  # versions resolved from a range no lockfile pins
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    seconds: float = 0.0


def _pick(deps: list[Target]) -> Target:
    """The entry a package-level finding points at: a direct manifest line beats a lockfile."""
    return min(deps, key=lambda t: (not t.dep.direct, t.dep.line == 0, t.dep.path.endswith(".lock") or "lock" in t.dep.path, t.dep.path, t.dep.line))


class _Lookups:
    def __init__(self, config: DepsConfig, cache: DiskCache, offline: bool) -> None:
        self.config = config
        self.cache = cache
        self.offline = offline

    async def packages(self, http: Http | None, wanted: dict[tuple[str, str], str],
                       progress: Progress | None) -> dict[tuple[str, str], PackageInfo]:
        keys = {pk: f"reg:{pk[0]}:{pk[1]}" for pk in wanted}
        cached = self.cache.get_many(list(keys.values()), allow_stale=self.offline)
        out: dict[tuple[str, str], PackageInfo] = {}
        todo = []
        for pk, key in keys.items():
            if key in cached:
                out[pk] = PackageInfo.from_dict(cached[key])
            elif self.offline or http is None:
                out[pk] = PackageInfo.unknown("offline and not in the cache")
            else:
                todo.append(pk)
        done = 0

        async def one(pk: tuple[str, str]) -> None:
            nonlocal done
            registry = registry_for(pk[0], self.config)
            try:
                info = await registry.lookup(http, wanted[pk]) if registry else PackageInfo.unknown("no registry client")
            except ANSWER_ERRORS as exc:
                info = PackageInfo.unknown(str(exc) or type(exc).__name__)
            out[pk] = info
            if info.status != UNKNOWN:
                ttl = self.config.found_ttl if info.status == FOUND else self.config.missing_ttl
                self.cache.put(keys[pk], info.to_dict(), ttl)
            done += 1
            if progress:
                progress(done, len(todo))

        await asyncio.gather(*(one(pk) for pk in todo))
        return out

    async def npm_downloads(self, http: Http | None, names: list[str]) -> dict[str, int]:
        """Weekly downloads for npm look-alikes (only those: one extra request each)."""
        keys = {n: f"dl:npm:{n}" for n in names}
        cached = self.cache.get_many(list(keys.values()), allow_stale=self.offline)
        out = {n: int(cached[k]) for n, k in keys.items() if k in cached}
        todo = [n for n in names if n not in out]
        if self.offline or http is None or not todo:
            return out
        registry = NpmRegistry(self.config)
        counts = await asyncio.gather(*(registry.weekly_downloads(http, n) for n in todo))
        fresh = {n: c for n, c in zip(todo, counts, strict=True) if c is not None}
        self.cache.put_many({keys[n]: c for n, c in fresh.items()}, self.config.found_ttl)
        out.update(fresh)
        return out


def audit_dependencies(
    root: Path,
    dependencies: Sequence[Dependency],
    config: DepsConfig | None = None,
    offline: bool = False,
    osv_db: Path | None = None,
    progress: Progress | None = None,
) -> DepsAudit:
    """Check every registry dependency: exists, typosquat, maintained, vulnerable.

    `root` is the scanned directory (dependency paths are relative to it; manifest lines are
    read from it for snippets). Lookups that fail become `unknown` findings, never silence."""
    start = time.perf_counter()
    config = config or DepsConfig.from_env()
    result = DepsAudit()
    by_package: dict[tuple[str, str], list[Target]] = {}
    scopes = _private_scopes(root, dependencies)
    for dep in dependencies:
        target = target_for(dep, scopes)
        if target is None:
            continue
        by_package.setdefault((target.ecosystem, target.key), []).append(target)
    if not by_package:
        result.seconds = time.perf_counter() - start
        return result
    queries: dict[VulnQuery, list[Target]] = {}
    for targets in by_package.values():
        for t in targets:
            if t.version:
                queries.setdefault(VulnQuery(t.ecosystem, t.name, t.version), []).append(t)
    result.packages, result.versions = len(by_package), len(queries)

    cache = DiskCache(config.cache_dir)
    offline_db = OfflineDatabase(osv_db, config.cache_dir) if osv_db is not None else None
    try:
        infos, vulns, downloads, ranged = asyncio.run(
            _gather(config, cache, offline, offline_db, by_package, list(queries), progress)
        )
    finally:
        cache.close()
        if offline_db is not None:
            offline_db.close()

    builder = FindingBuilder(root)
    for pk, targets in by_package.items():
        where = _pick(targets)
        info = infos[pk]
        if pk[0] == "npm" and where.name in downloads and info.status == FOUND:
            info = PackageInfo.from_dict({**info.to_dict(), "downloads": downloads[where.name], "downloads_period": "week"})
        result.findings.extend(_package_findings(builder, where, targets, info))
    gone = {pk for pk, info in infos.items() if info.status == MISSING or info.holding}
    resolved, unresolved = ranged
    result.resolved_ranges = len(resolved)
    for query, targets in resolved.items():
        queries.setdefault(query, []).extend(targets)
    for target, why in unresolved:
        if (target.ecosystem, target.key) not in gone:
            result.findings.extend(builder.vulnerable(target, VulnAnswer("unknown", error=why)))
    for query, targets in queries.items():
        if (query.ecosystem, targets[0].key) in gone:
            continue  # nothing was installed from a name that does not exist: its finding says so
        answer = vulns.get(query) or VulnAnswer("unknown", error="not checked")
        result.findings.extend(builder.vulnerable(_pick(targets), answer))
    result.unknown = sum(1 for f in result.findings if f.extra.get("status") == UNKNOWN)
    result.findings.sort(key=Finding.sort_key)
    result.seconds = time.perf_counter() - start
    return result


def _private_scopes(root: Path, dependencies: Sequence[Dependency]) -> frozenset[str]:
    """npm scopes that .npmrc files (at the root and beside each npm manifest) route to a
    private registry."""
    from auditor.fsutil import read_text

    dirs = {Path(d.path).parent for d in dependencies if d.ecosystem == "npm"}
    scopes: set[str] = set()
    for rel in {Path("."), *dirs}:
        text = read_text(root / rel / ".npmrc")
        if text:
            scopes |= private_npm_scopes(text)
    return frozenset(scopes)


Ranged = tuple[dict[VulnQuery, list[Target]], list[tuple[Target, str]]]


def resolve_ranges(by_package: dict[tuple[str, str], list[Target]],
                   infos: dict[tuple[str, str], PackageInfo]) -> Ranged:
    """Targets no lockfile pins, resolved against the registry's versions to the newest their
    range allows (what a fresh install gets), as advisory queries; and those that cannot be
    resolved, with why (they are reported unchecked, never passed over as clean)."""
    resolved: dict[VulnQuery, list[Target]] = {}
    unresolved: list[tuple[Target, str]] = []
    for pk, targets in by_package.items():
        if any(t.version for t in targets):
            continue  # a lockfile or a pin names what is installed: nothing to guess
        info = infos.get(pk)
        for t in targets:
            if not t.dep.direct:
                continue
            spec = (t.dep.spec or "").strip() or "*"
            # The reasons leave the range out: the unchecked entry's subject already shows it,
            # and one reason for many packages groups them in the report.
            if t.ecosystem not in RESOLVERS:
                unresolved.append((t, "no lockfile pins its version: no version to check"))
            elif info is None or info.status != FOUND:
                unresolved.append((t, "no lockfile pins its version, and the registry did not answer to resolve its range"))
            elif not info.versions:
                unresolved.append((t, "no lockfile pins its version, and the registry's answer lists no versions"))
            elif (version := resolve_range(t.ecosystem, spec, info.versions)) is None:
                unresolved.append((t, "no published version matches its range"))
            else:
                pinned = dataclasses.replace(t, version=version, resolved_from=spec)
                resolved.setdefault(VulnQuery(t.ecosystem, t.name, version), []).append(pinned)
    return resolved, unresolved


async def _gather(config: DepsConfig, cache: DiskCache, offline: bool, offline_db: OfflineDatabase | None,
                  by_package: dict[tuple[str, str], list[Target]], queries: list[VulnQuery],
                  progress: Progress | None) -> tuple[dict, dict, dict, Ranged]:
    lookups = _Lookups(config, cache, offline)
    wanted = {pk: _pick(ts).name for pk, ts in by_package.items()}
    if offline:
        http = None
        return await _run(lookups, None, cache, config, offline, offline_db, wanted, by_package, queries, progress)
    async with Http(config) as http:
        return await _run(lookups, http, cache, config, offline, offline_db, wanted, by_package, queries, progress)


async def _run(lookups: _Lookups, http: Http | None, cache: DiskCache, config: DepsConfig, offline: bool,
               offline_db: OfflineDatabase | None, wanted: dict[tuple[str, str], str],
               by_package: dict[tuple[str, str], list[Target]], queries: list[VulnQuery],
               progress: Progress | None) -> tuple[dict, dict, dict, Ranged]:
    async def advisories(wanted_queries: list[VulnQuery]) -> dict[VulnQuery, VulnAnswer]:
        if offline_db is not None:
            return offline_db.lookup(wanted_queries)
        return await OsvApi(config, cache, offline).lookup(http, wanted_queries)

    infos, vulns = await asyncio.gather(lookups.packages(http, wanted, progress), advisories(queries))
    ranged = resolve_ranges(by_package, infos)
    if ranged[0]:
        vulns.update(await advisories(list(ranged[0])))
    npm_lookalikes = []
    for pk, info in infos.items():
        index = popular_index(pk[0]) if pk[0] == "npm" else None
        if index and info.status == FOUND and index.imitated(fold("npm", wanted[pk])):
            npm_lookalikes.append(wanted[pk])
    downloads = await lookups.npm_downloads(http, npm_lookalikes) if npm_lookalikes else {}
    return infos, vulns, downloads, ranged


def _package_findings(builder: FindingBuilder, where: Target, targets: list[Target], info: PackageInfo) -> list[Finding]:
    index = popular_index(where.ecosystem)
    folded = fold(where.ecosystem, where.name)
    imitated = index.imitated(folded) if index else None
    if info.status == MISSING:
        return [builder.missing(where, imitated[0] if imitated else None, info.error)]
    if info.status == UNKNOWN:
        out = [builder.lookup_unknown(where, info.error)]
        if imitated:
            out.append(builder.typosquat(where, imitated, squat_judgement(info)))
        return out
    out = []
    if info.holding:
        out.append(builder.holding(where, imitated[0] if imitated else None))
    elif imitated:
        verdict = squat_judgement(info)
        if verdict.suspicious is not False:
            out.append(builder.typosquat(where, imitated, verdict))
    if info.holding:
        return out
    seen_versions = {t.version for t in targets} or {None}
    problems: list[str] = []
    for version in sorted(seen_versions, key=lambda v: v or ""):
        for p in maintenance_problems(info, version, builder.registry_name(where.ecosystem)):
            if p not in problems:
                problems.append(p)
    if problems:
        out.append(builder.unmaintained(where, problems, info))
    return out
