"""A local OSV database for `--osv-db`: the per-ecosystem `all.zip` exports from
https://osv-vulnerabilities.storage.googleapis.com/<Ecosystem>/all.zip, or directories of
OSV JSON files. Accepted layouts: a zip file; a directory holding zips (`PyPI.zip`,
`PyPI/all.zip`) and/or `*.json` records at any depth.

Parsing tens of thousands of JSON records on every run would cost seconds, so the database
is indexed once into SQLite (in the cache directory, keyed by the source's path, size and
modification time) and each later run reads only the packages it checks.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from auditor.deps.names import FROM_OSV, OSV_ECOSYSTEMS, normalize
from auditor.deps.osv.model import BadRecord, VulnAnswer, VulnQuery, answer_from_records, trim
from auditor.errors import AuditorError
from auditor.fsutil import UnreadableFile, open_regular, read_bytes

INDEX_VERSION = "2"
RECORD_LIMIT = 16_000_000  # one OSV record is kilobytes


def _sources(root: Path) -> list[Path]:
    if root.is_file():
        if root.suffix.lower() != ".zip" and root.suffix.lower() != ".json":
            raise AuditorError(f"{root}: --osv-db must be a directory, an OSV .zip or a .json record")
        return [root]
    if not root.is_dir():
        what = "not a regular file or directory" if root.exists() else "no such file or directory"
        raise AuditorError(f"{root}: --osv-db: {what}")
    found = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in (".zip", ".json"))
    if not found:
        raise AuditorError(f"{root}: --osv-db holds no OSV .zip or .json files")
    return found


def _signature(paths: list[Path]) -> str:
    h = hashlib.sha256(INDEX_VERSION.encode())
    for p in paths:
        st = p.stat()
        h.update(f"{p.resolve()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _records(path: Path) -> Iterator[tuple[str, bytes]]:
    """(where, raw JSON) for each record in a zip or a JSON file."""
    if path.suffix.lower() == ".json":
        try:
            yield str(path), read_bytes(path, RECORD_LIMIT)
        except UnreadableFile as exc:
            raise AuditorError(f"{path}: {exc}") from None
        return
    try:
        with open_regular(path) as raw, zipfile.ZipFile(raw) as zf:
            for info in zf.infolist():
                if info.filename.endswith(".json") and not info.is_dir():
                    if info.file_size > RECORD_LIMIT:
                        raise AuditorError(f"{path}:{info.filename}: a record larger than "
                                           f"{RECORD_LIMIT // 1_000_000} MB; not an OSV export")
                    with zf.open(info) as fh:
                        data = fh.read(RECORD_LIMIT + 1)  # the size in the header may lie
                    if len(data) > RECORD_LIMIT:
                        raise AuditorError(f"{path}:{info.filename}: a record larger than "
                                           f"{RECORD_LIMIT // 1_000_000} MB; not an OSV export")
                    yield f"{path}:{info.filename}", data
    except UnreadableFile as exc:
        raise AuditorError(f"{path}: {exc}") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as exc:
        raise AuditorError(f"{path}: not a valid zip file ({exc or type(exc).__name__})") from None


class OfflineDatabase:
    """Advisories from local files, indexed on first use."""

    def __init__(self, root: Path, cache_dir: Path) -> None:
        self.root = root
        sources = _sources(root)
        signature = _signature(sources)
        key = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
        self._db = self._open(cache_dir / f"osv-index-{key}.sqlite3")
        row = self._meta("signature")
        if row != signature:
            self._build(sources, signature)

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            return sqlite3.connect(path, isolation_level=None)
        except (OSError, sqlite3.Error):
            return sqlite3.connect(":memory:", isolation_level=None)  # unwritable cache: index per run

    def _meta(self, key: str) -> str | None:
        try:
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        return row[0] if row else None

    def _build(self, sources: list[Path], signature: str) -> None:
        db = self._db
        db.execute("BEGIN")
        for stmt in (
            "DROP TABLE IF EXISTS meta", "DROP TABLE IF EXISTS vulns", "DROP TABLE IF EXISTS packages",
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)",
            "CREATE TABLE vulns (id TEXT PRIMARY KEY, record TEXT NOT NULL)",
            "CREATE TABLE packages (ecosystem TEXT, name TEXT, id TEXT)",
        ):
            db.execute(stmt)
        for source in sources:
            for where, raw in _records(source):
                try:
                    record = json.loads(raw)
                except ValueError:
                    db.execute("ROLLBACK")
                    raise AuditorError(f"{where}: not valid JSON") from None
                except RecursionError:
                    db.execute("ROLLBACK")
                    raise AuditorError(f"{where}: JSON nested too deeply to read") from None
                if not isinstance(record, dict) or "id" not in record:
                    continue  # not an OSV record (e.g. a stray metadata file)
                try:
                    slim = trim(record)
                except BadRecord as exc:
                    db.execute("ROLLBACK")
                    raise AuditorError(f"{where}: not a valid OSV record ({exc})") from None
                db.execute("INSERT OR REPLACE INTO vulns VALUES (?, ?)", (slim["id"], json.dumps(slim)))
                seen = set()
                for aff in slim["affected"]:
                    pkg = aff.get("package") or {}
                    eco = FROM_OSV.get(str(pkg.get("ecosystem", "")).split(":", 1)[0])
                    if eco and pkg.get("name"):
                        row = (eco, normalize(eco, str(pkg["name"])), slim["id"])
                        if row not in seen:
                            seen.add(row)
                            db.execute("INSERT INTO packages VALUES (?, ?, ?)", row)
        db.execute("CREATE INDEX packages_by_name ON packages (ecosystem, name)")
        covered = sorted(r[0] for r in db.execute("SELECT DISTINCT ecosystem FROM packages"))
        db.execute("INSERT INTO meta VALUES ('ecosystems', ?)", (json.dumps(covered),))
        db.execute("INSERT INTO meta VALUES ('signature', ?)", (signature,))
        db.execute("COMMIT")

    def records_for(self, ecosystem: str, name: str) -> list[dict[str, Any]]:
        rows = self._db.execute(
            "SELECT v.record FROM packages p JOIN vulns v ON v.id = p.id WHERE p.ecosystem = ? AND p.name = ?",
            (ecosystem, normalize(ecosystem, name)),
        ).fetchall()
        return [json.loads(r[0]) for r in rows]

    def ecosystems(self) -> frozenset[str]:
        """The ecosystems the database holds advisories for."""
        return frozenset(json.loads(self._meta("ecosystems") or "[]"))

    def lookup(self, queries: list[VulnQuery]) -> dict[VulnQuery, VulnAnswer]:
        """Match every query against the local records with the ecosystem's version rules.
        A package of an ecosystem the database does not cover is unknown, not clean: a
        PyPI-only export says nothing about npm."""
        by_package: dict[tuple[str, str], list[dict[str, Any]]] = {}
        answers: dict[VulnQuery, VulnAnswer] = {}
        covered = self.ecosystems()
        for q in queries:
            if q.ecosystem not in covered:
                answers[q] = VulnAnswer("unknown", error=f"the --osv-db database holds no "
                                        f"{OSV_ECOSYSTEMS.get(q.ecosystem, q.ecosystem)} advisories")
                continue
            pkg = (q.ecosystem, normalize(q.ecosystem, q.name))
            if pkg not in by_package:
                by_package[pkg] = self.records_for(*pkg)
            answers[q] = answer_from_records(q, by_package[pkg], trust_match=False)
        return answers

    def close(self) -> None:
        self._db.close()
