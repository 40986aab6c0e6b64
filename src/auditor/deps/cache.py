"""On-disk cache of registry and advisory answers, with an expiry per entry.

One SQLite file (stdlib, atomic, safe across concurrent auditor processes) rather than a
file per answer: a warm 200-dependency run reads it with one query per key in a few
milliseconds. Values are the small summaries we derived, never whole registry documents.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any

SCHEMA = "CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, stored REAL NOT NULL, ttl REAL NOT NULL, value TEXT NOT NULL)"


class DiskCache:
    """Key -> JSON value with a time-to-live. A broken or unwritable cache degrades to no
    cache (the run goes on, online) instead of failing the command."""

    def __init__(self, directory: Path, filename: str = "deps.sqlite3") -> None:
        self.path = directory / filename
        self._db: sqlite3.Connection | None = None
        try:
            directory.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=5, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(SCHEMA)
        except sqlite3.Error:
            self._db = None
        except OSError:
            self._db = None

    def get(self, key: str, allow_stale: bool = False) -> Any | None:
        """The value stored under `key`, or None when absent or expired (stale values are
        returned when `allow_stale`, which `--offline` uses: old knowledge beats none)."""
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT stored, ttl, value FROM answers WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        if row is None:
            return None
        stored, ttl, value = row
        if not allow_stale and time.time() - stored > ttl:
            return None
        return json.loads(value)

    def get_many(self, keys: list[str], allow_stale: bool = False) -> dict[str, Any]:
        """Values for the keys that are present and fresh, in one query per 500 keys."""
        out: dict[str, Any] = {}
        if self._db is None or not keys:
            return out
        now = time.time()
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            marks = ",".join("?" * len(chunk))
            try:
                rows = self._db.execute(
                    f"SELECT key, stored, ttl, value FROM answers WHERE key IN ({marks})", chunk
                ).fetchall()
            except sqlite3.Error:
                return out
            for key, stored, ttl, value in rows:
                if allow_stale or now - stored <= ttl:
                    out[key] = json.loads(value)
        return out

    def put(self, key: str, value: Any, ttl: float) -> None:
        self.put_many({key: value}, ttl)

    def put_many(self, values: dict[str, Any], ttl: float) -> None:
        if self._db is None or not values:
            return
        now = time.time()
        rows = [(k, now, ttl, json.dumps(v, separators=(",", ":"))) for k, v in values.items()]
        try:
            self._db.execute("BEGIN")
            self._db.executemany("INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?)", rows)
            self._db.execute("COMMIT")
        except sqlite3.Error:
            try:
                self._db.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
