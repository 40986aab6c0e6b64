"""Benchmark tasks, kept as YAML in taskdata/: one file per framework, holding the scaffold
shared by its tasks and the tasks themselves (request, category, optional functional check).

A scaffold value `@shared/<name>` is read from taskdata/shared/, so files common to several
frameworks (the demo database, check fixtures) are written once."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from auditor.errors import AuditorError
from auditor.findings import CATEGORIES

TASK_DIR = Path(__file__).parent / "taskdata"
RUNNERS = ("pytest", "node", "none")
CHECK_FILE = {"pytest": "test_bench_check.py", "node": "bench.check.test.js"}


@dataclass(frozen=True)
class Task:
    """One developer request in one framework's scaffold."""

    id: str
    framework: str
    language: str
    category: str
    request: str
    main: str  # the file an unnamed code block in a reply is taken to be
    scaffold: dict[str, str] = field(hash=False)
    runner: str = "none"  # how the functional check runs: pytest | node | none
    check: str | None = None  # the check's test file; None: no functional check (see no_check)
    check_files: dict[str, str] = field(default_factory=dict, hash=False)  # fixtures the check needs
    no_check: str | None = None  # why there is no functional check

    @property
    def has_check(self) -> bool:
        return self.check is not None and self.runner != "none"


def safe_relpath(path: str) -> str | None:
    """`path` as a clean relative POSIX path, or None when it would leave the project
    (absolute, `..`, drive letters): generated replies are untrusted."""
    text = path.strip().replace("\\", "/")
    while text.startswith("./"):
        text = text[2:]
    if not text or text.startswith("/") or ":" in text.split("/")[0]:
        return None
    parts = PurePosixPath(text).parts
    if any(p in ("..", "") for p in parts):
        return None
    return "/".join(parts)


def _files(raw: object, source: str, what: str) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise AuditorError(f"{source}: {what} must be a mapping of path to file text")
    out: dict[str, str] = {}
    for path, text in raw.items():
        rel = safe_relpath(str(path))
        if rel is None or not isinstance(text, str):
            raise AuditorError(f"{source}: {what}: bad entry {path!r}")
        if text.startswith("@shared/"):
            shared = TASK_DIR / "shared" / text.removeprefix("@shared/").strip()
            try:
                text = shared.read_text(encoding="utf-8")
            except OSError as exc:
                raise AuditorError(f"{source}: {what}: {path}: cannot read {shared.name} ({exc.strerror})") from None
        out[rel] = text
    return out


def _framework_tasks(path: Path) -> list[Task]:
    from auditor.datafiles import parse_yaml

    source = f"bench/taskdata/{path.name}"
    doc = parse_yaml(path.read_text(encoding="utf-8"), source)
    if not isinstance(doc, dict):
        raise AuditorError(f"{source}: expected a mapping at the top")
    framework, language = str(doc.get("framework", "")), str(doc.get("language", ""))
    runner = str(doc.get("runner", "none"))
    if not framework or not language or runner not in RUNNERS or not doc.get("main"):
        raise AuditorError(f"{source}: needs framework, language, main and a runner in {RUNNERS}")
    scaffold = _files(doc.get("scaffold"), source, "scaffold")
    check_files = _files(doc.get("check_files"), source, "check_files")
    out = []
    for raw in doc.get("tasks") or []:
        tid = str(raw.get("id", ""))
        category = str(raw.get("category", ""))
        request = " ".join(str(raw.get("request", "")).split())
        if not tid or not request:
            raise AuditorError(f"{source}: a task needs an id and a request")
        if category not in CATEGORIES:
            raise AuditorError(f"{source}: {tid}: unknown category {category!r}")
        check = raw.get("check")
        no_check = raw.get("no_check") or doc.get("no_check")
        if (check is None) == (no_check is None) and runner != "none":
            raise AuditorError(f"{source}: {tid}: give either a check or a no_check reason")
        out.append(Task(
            id=tid, framework=framework, language=language, category=category, request=request,
            main=str(doc["main"]), scaffold={**scaffold, **_files(raw.get("files"), source, f"{tid}: files")},
            runner=runner, check=check, check_files=check_files,
            no_check=None if check is not None else str(no_check or "no functional check"),
        ))
    return out


def load_tasks(directory: Path = TASK_DIR) -> list[Task]:
    """Every task, sorted by id. Ids are unique across frameworks."""
    tasks: list[Task] = []
    for path in sorted(directory.glob("*.yaml")):
        tasks.extend(_framework_tasks(path))
    seen: set[str] = set()
    for t in tasks:
        if t.id in seen:
            raise AuditorError(f"bench/taskdata: task id {t.id!r} is used twice")
        seen.add(t.id)
    return sorted(tasks, key=lambda t: t.id)


def _wanted(values: Iterable[str] | None) -> set[str] | None:
    return {v.strip() for v in values if v.strip()} if values else None


def select_tasks(tasks: Sequence[Task], frameworks: Iterable[str] | None = None,
                 categories: Iterable[str] | None = None, ids: Iterable[str] | None = None) -> list[Task]:
    """Tasks matching every filter given; an unknown framework, category or id is an error."""
    chosen = list(tasks)
    for label, values, key in (("framework", _wanted(frameworks), "framework"),
                               ("category", _wanted(categories), "category"), ("task", _wanted(ids), "id")):
        if values is None:
            continue
        known = {getattr(t, key) for t in tasks}
        unknown = sorted(values - known)
        if unknown:
            raise AuditorError(f"unknown {label} {', '.join(unknown)} (known: {', '.join(sorted(known))})")
        chosen = [t for t in chosen if getattr(t, key) in values]
    return chosen


def write_files(root: Path, files: dict[str, str]) -> None:
    """Write files under root (paths already checked by safe_relpath)."""
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
