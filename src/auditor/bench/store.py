"""The run's SQLite store (DIR/bench.sqlite): every generation and every verdict, keyed by
(task, condition, model, sample, prompt hash).

Each generation is committed as soon as it arrives, so an interrupted run loses nothing and a
rerun asks only for what is missing. A changed prompt (new rules text) has a new hash and is
generated again; reports use the newest row per (task, condition, model, sample). Failed
requests are kept with their error but count as missing."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor.errors import AuditorError

STORE_NAME = "bench.sqlite"
Key = tuple[str, str, str, int, str]  # task, condition, model, sample, prompt hash
SCHEMA = """
CREATE TABLE IF NOT EXISTS generations (
  task TEXT NOT NULL, condition TEXT NOT NULL, model TEXT NOT NULL, sample INTEGER NOT NULL,
  prompt_hash TEXT NOT NULL, provider TEXT, reply TEXT, error TEXT,
  input_tokens INTEGER DEFAULT 0, output_tokens INTEGER DEFAULT 0, cost REAL DEFAULT 0,
  seconds REAL DEFAULT 0, created REAL,
  PRIMARY KEY (task, condition, model, sample, prompt_hash));
CREATE TABLE IF NOT EXISTS verdicts (
  task TEXT NOT NULL, condition TEXT NOT NULL, model TEXT NOT NULL, sample INTEGER NOT NULL,
  prompt_hash TEXT NOT NULL, judged_with TEXT NOT NULL, verdict TEXT NOT NULL,
  PRIMARY KEY (task, condition, model, sample, prompt_hash));
"""


@dataclass(frozen=True)
class Generation:
    task: str
    condition: str
    model: str
    sample: int
    prompt_hash: str
    reply: str | None
    error: str | None = None
    provider: str = ""
    input_tokens: int = 0
    output_tokens: int = 0
    cost: float = 0.0
    seconds: float = 0.0
    created: float = 0.0

    @property
    def key(self) -> Key:
        return (self.task, self.condition, self.model, self.sample, self.prompt_hash)


class Store:
    """One open store. Used from one thread (the run's main thread)."""

    def __init__(self, directory: Path, create: bool = True) -> None:
        path = directory / STORE_NAME
        if not create and not path.is_file():
            raise AuditorError(f"{directory}: no {STORE_NAME} here (not a bench run directory)")
        try:
            directory.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path)
            self.db.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise AuditorError(f"{path}: cannot open the bench store ({exc})") from None
        self.path = path

    def close(self) -> None:
        self.db.close()

    def done_keys(self) -> set[Key]:
        """Keys with a successful generation."""
        rows = self.db.execute("SELECT task, condition, model, sample, prompt_hash FROM generations "
                               "WHERE error IS NULL")
        return {tuple(r) for r in rows}  # type: ignore[misc]

    def put_generation(self, g: Generation) -> None:
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO generations VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (g.task, g.condition, g.model, g.sample, g.prompt_hash, g.provider, g.reply, g.error,
                 g.input_tokens, g.output_tokens, g.cost, g.seconds, g.created or time.time()),
            )

    def generations(self) -> list[Generation]:
        """The newest successful generation per (task, condition, model, sample)."""
        rows = self.db.execute(
            "SELECT task, condition, model, sample, prompt_hash, reply, error, provider, input_tokens, "
            "output_tokens, cost, seconds, created FROM generations WHERE error IS NULL ORDER BY created")
        newest: dict[tuple[str, str, str, int], Generation] = {}
        for r in rows:
            g = Generation(*r)
            newest[g.key[:4]] = g  # type: ignore[index]
        return sorted(newest.values(), key=lambda g: g.key)

    def failures(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM generations WHERE error IS NOT NULL").fetchone()[0]

    def usage(self) -> dict[str, float]:
        row = self.db.execute("SELECT COUNT(*), COALESCE(SUM(input_tokens),0), COALESCE(SUM(output_tokens),0), "
                              "COALESCE(SUM(cost),0) FROM generations WHERE error IS NULL").fetchone()
        return {"requests": row[0], "input_tokens": row[1], "output_tokens": row[2], "cost": round(row[3], 6)}

    def verdicts(self, judged_with: str | None = None) -> dict[Key, dict[str, Any]]:
        """Verdicts made with `judged_with` (None: any, the newest per key)."""
        rows = self.db.execute("SELECT task, condition, model, sample, prompt_hash, verdict FROM verdicts "
                               "WHERE ? IS NULL OR judged_with = ? ORDER BY rowid", (judged_with, judged_with))
        return {tuple(r[:5]): json.loads(r[5]) for r in rows}  # type: ignore[misc]

    def put_verdicts(self, items: Iterable[tuple[Key, str, dict[str, Any]]]) -> None:
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO verdicts VALUES (?,?,?,?,?,?,?)",
                                [(*k, judged_with, json.dumps(v, sort_keys=True)) for k, judged_with, v in items])

    def merge_from(self, other: Path) -> int:
        """Copy rows of another run directory's store that this one lacks; returns how many
        generations were added. A failed row never replaces a successful one."""
        src = other / STORE_NAME
        if not src.is_file():
            raise AuditorError(f"{other}: no {STORE_NAME} here (not a bench run directory)")
        before = self.db.total_changes
        try:
            self.db.execute("ATTACH DATABASE ? AS other", (str(src),))
            with self.db:
                self.db.execute("DELETE FROM generations WHERE error IS NOT NULL AND EXISTS (SELECT 1 FROM "
                                "other.generations o WHERE o.error IS NULL AND o.task = generations.task AND "
                                "o.condition = generations.condition AND o.model = generations.model AND "
                                "o.sample = generations.sample AND o.prompt_hash = generations.prompt_hash)")
                self.db.execute("INSERT OR IGNORE INTO generations SELECT * FROM other.generations")
                self.db.execute("INSERT OR IGNORE INTO verdicts SELECT * FROM other.verdicts")
        except sqlite3.Error as exc:
            raise AuditorError(f"{src}: cannot merge ({exc})") from None
        finally:
            self.db.execute("DETACH DATABASE other")
        return self.db.total_changes - before
