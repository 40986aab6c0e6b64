"""Which findings an edit introduced: scan the file before and after in-process and keep the
findings whose fingerprint is new. Fingerprints ignore line numbers, so code that merely
moved is not reported again. A manifest edit also checks the dependencies it added.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path

from auditor.agent.edits import FileEdit
from auditor.findings import Finding, Severity, fold_whitespace
from auditor.scan.engine import SNIPPET_CHARS, Scanner
from auditor.stack.model import Dependency, Stack

# Below this an edit is not interrupted: low findings (a missing header hardening) would
# fire on nearly every new file of a framework and teach the model to skim the feedback.
MIN_SEVERITY = Severity.MEDIUM
DEPS_TIMEOUT = 3.0
BUCKET_SIZE = 200  # seconds per registry request inside a hook: the agent is waiting


def relative_inside(root: Path, path: Path) -> str | None:
    """`path` relative to `root` with forward slashes, or None when it is outside."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None


def project_stack(root: Path, rels: list[str]) -> Stack:
    """The stack of the sub-projects holding `rels` only, so one edit in a monorepo stays fast."""
    from auditor.stack.detect_for import detect_stack_for

    return detect_stack_for(root, rels)


def reportable(findings: list[Finding]) -> list[Finding]:
    """The findings worth interrupting an agent for: medium and above, not suppressed."""
    return [f for f in findings if not f.suppressed and f.severity >= MIN_SEVERITY]


def introduced_findings(root: Path, edits: Iterable[FileEdit], scanner: Scanner | None = None,
                        deps: bool = True, offline: bool = False) -> list[Finding]:
    """Every finding the edits introduced, files outside `root` ignored, sorted by place."""
    todo = [(rel, e) for e in edits if e.after is not None and (rel := relative_inside(root, e.path)) is not None
            and scanned_like_a_tree(rel, e.after)]
    if not todo:
        return []
    if scanner is None:
        # root: calls into the project's other files are followed, through their cached summaries
        scanner = Scanner(stack=project_stack(root, [rel for rel, _ in todo]), secrets=True, root=root)
    cache = FingerprintCache(scanner)
    out: list[Finding] = []
    for rel, edit in todo:
        after = scanner.scan_source(rel, edit.after or "")
        cache.put(rel, edit.after or "", after)
        candidates = reportable(after)
        if candidates and edit.before is not None:  # nothing reportable after: no need to look before
            known = cache.get(rel, edit.before)
            if known is None and not all_new(rel, candidates, edit.before):
                known = {f.fingerprint for f in scanner.scan_source(rel, edit.before)}
            candidates = [f for f in candidates if f.fingerprint not in (known or ())]
        out.extend(candidates)
        if deps:
            out.extend(new_dependency_findings(root, rel, edit, offline=offline))
    out.sort(key=Finding.sort_key)
    return out


def all_new(rel: str, findings: list[Finding], before: str) -> bool:
    """True when no finding of the "before" text can share a fingerprint with any of
    `findings`, so scanning "before" would remove none of them. A fingerprint hashes the
    rule, the path and the flagged line's text (whitespace-folded; see make_fingerprint),
    and the scanner takes that text from a line of the file it scans. So a finding of this
    file whose flagged line appears nowhere in "before" is new. Findings hashed from
    anything else (a redacted secret's basis, a message, another file) return False: the
    caller then scans "before" and compares, as always."""
    if not all(f.path == rel and f.snippet and not f.fingerprint_basis for f in findings):
        return False
    was = {fold_whitespace(line.strip()[:SNIPPET_CHARS]) for line in before.splitlines()}
    return not any(fold_whitespace(f.snippet) in was for f in findings)


def scanned_like_a_tree(rel: str, text: str) -> bool:
    """False for what `auditor scan` of the project would pass over: dependency and build
    folders, oversized, minified and generated files."""
    from auditor.filetypes import language_for
    from auditor.fsutil import SKIP_DIRS
    from auditor.scan.engine import MAX_FILE_BYTES, skip_reason

    if any(part in SKIP_DIRS for part in rel.split("/")[:-1]) or len(text) > MAX_FILE_BYTES:
        return False
    return not (language_for(rel) and skip_reason(text, rel) is not None)


class FingerprintCache:
    """Fingerprints of every finding in a file's text, on disk by content hash. An agent edits
    the same file again and again, and each edit's "before" is the previous edit's "after":
    with this cache each edit scans the file once, not twice."""

    def __init__(self, scanner: Scanner) -> None:
        from auditor.cachedir import cache_dir

        self.folder = cache_dir() / "hook-fingerprints"
        self.scanner = scanner

    def _path(self, rel: str, text: str) -> Path:
        import hashlib

        from auditor import __version__

        project = self.scanner.stack.project_for(rel) if self.scanner.stack else None
        stack = ",".join(sorted(project.ids())) if project else ""
        key = hashlib.sha256(f"{__version__}\0{rel}\0{stack}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()
        return self.folder / key[:2] / f"{key}.json"

    def get(self, rel: str, text: str) -> set[str] | None:
        import json

        try:
            return set(json.loads(self._path(rel, text).read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return None

    def put(self, rel: str, text: str, findings: list[Finding]) -> None:
        import json

        from auditor.errors import AuditorError
        from auditor.fsutil import atomic_write

        path = self._path(rel, text)
        try:
            atomic_write(path, json.dumps(sorted(f.fingerprint for f in findings)))
        except AuditorError:
            return  # a read-only cache only costs speed
        self._prune(path.parent)

    @staticmethod
    def _prune(bucket: Path, keep: int = BUCKET_SIZE) -> None:
        """Keep the newest `keep` entries of a bucket (256 buckets: at most ~50,000 small files)."""
        try:
            entries = list(bucket.iterdir())
            if len(entries) <= keep:
                return
            entries.sort(key=lambda p: p.stat().st_mtime)
            for old in entries[: len(entries) - keep // 2]:
                old.unlink()
        except OSError:
            pass


def added_dependencies(root: Path, rel: str, before: str | None, after: str) -> list[Dependency]:
    """Dependencies a manifest declares after the edit that it did not declare before
    (by ecosystem and name; a version bump of a known package is a new version to check)."""
    from auditor.stack.ecosystems import classify
    from auditor.stack.ecosystems.base import ManifestError, ParseContext

    kind = classify(rel)
    if kind is None or kind[0].role != "manifest":
        return []
    parser = kind[0].load()
    ctx = ParseContext(root)
    try:
        now = parser(after, rel, ctx).dependencies
        was = parser(before, rel, ctx).dependencies if before is not None else []
    except (ManifestError, ValueError):
        return []
    known = {(d.ecosystem, d.name.lower(), d.version) for d in was}
    return [d for d in now if (d.ecosystem, d.name.lower(), d.version) not in known]


def new_dependency_findings(root: Path, rel: str, edit: FileEdit, offline: bool = False) -> list[Finding]:
    """Registry and advisory checks for the dependencies a manifest edit added, through the
    deps cache with a short timeout. Lookups that fail are left out: an outage is not a flaw."""
    added = added_dependencies(root, rel, edit.before, edit.after or "")
    if not added:
        return []
    from auditor.commands.deps import split_unchecked
    from auditor.deps.audit import audit_dependencies
    from auditor.deps.config import DepsConfig

    config = dataclasses.replace(DepsConfig.from_env(), timeout=DEPS_TIMEOUT, retries=0)
    return split_unchecked(audit_dependencies(root, added, config=config, offline=offline).findings)[0]
