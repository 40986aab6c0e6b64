"""The scanner: one parse per file, every check on the tree, hits -> Findings via the KB.

In-process API for hooks and the MCP server: `Scanner(...).scan_source(path, text)` takes
a file's content before it is saved. `scan_tree` walks a project on disk.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from auditor.filetypes import language_for
from auditor.findings import Finding, ScanResult, assign_occurrences
from auditor.kb.model import Rule
from auditor.kb.select import applies_to
from auditor.scan.embedded import erb_code, script_blocks
from auditor.scan.interface import Hit, SourceFile
from auditor.scan.languages import FAMILY
from auditor.scan.project_index import ProjectIndex, SummaryCache
from auditor.scan.registry import all_checks, checks_for
from auditor.scan.vendored import vendored_reason
from auditor.stack.model import Stack, SubProject
from auditor.suppress import apply_suppressions

MAX_FILE_BYTES = 1_000_000
SNIPPET_CHARS = 300  # a finding's snippet: its line, stripped, cut to this length
PARALLEL_MIN_FILES = 40  # below this, starting workers costs more than it saves
# A generated-file header: a comment in the first lines that says so in one of the forms
# generators write (Go's "Code generated ... DO NOT EDIT.", "@generated", "This file is
# auto-generated", "DO NOT EDIT"). "not auto-generated" or a marker inside code is not one.
_COMMENT_LINE = re.compile(r"^\s*(?:#|//|/\*|\*|<!--|--|;|\{\{!|%)")
_GENERATED_HEADER = re.compile(
    r"\bCode generated\b.*\bDO NOT EDIT\b|@generated\b|\bDO NOT EDIT\b|"
    r"(?i:(?<!not )(?<!n't )\b(?:auto-?generated|automatically generated)\b)")
_HEAD_LINES = 10


def is_minified(text: str) -> bool:
    """Bundles and minified files: few, very long lines. Scanning them is noise."""
    head = text[:20000]
    lines = head.count("\n") + 1
    return len(head) > 5000 and len(head) / lines > 500


def generated_header(text: str) -> str | None:
    """The comment line (stripped) that marks the file as generated, else None."""
    for line in text[:4000].splitlines()[:_HEAD_LINES]:
        if _COMMENT_LINE.match(line) and _GENERATED_HEADER.search(line):
            return line.strip()[:80]
    return None


def skip_reason(text: str, path: str = "") -> str | None:
    """Why the code checks pass over a file (secrets are still checked), or None."""
    header = generated_header(text)
    if header is not None:
        return f"generated file ({header})"
    if is_minified(text):
        return "minified (average line over 500 characters)"
    return vendored_reason(path, text) if path else None


class Scanner:
    """Holds the rules and checks, loaded once; scan many files with it."""

    def __init__(self, rules: Sequence[Rule] | None = None, stack: Stack | None = None,
                 secrets: bool = True, root: Path | None = None, summary_cache: bool = True,
                 library: bool = False) -> None:
        """`root`: the project folder, so a one-file `scan_source` follows calls into the
        project's other files (scan_tree uses the root it is given). `summary_cache` keeps
        cross-file function summaries on disk, keyed by file content. `library`: library
        mode, the parameters of the package's public API are input too (scan.library)."""
        if rules is None:
            from auditor.kb.load import load_rules

            rules = load_rules()
        self.rules = {r.id: r for r in rules}
        self.stack = stack
        self.root = root
        self.summary_cache = summary_cache
        self.secrets = secrets
        self.library = library
        # Imported only when used (the secret patterns cost start-up time), then kept.
        self._find_secrets: Callable[[str, str], list[Finding]] | None = None
        if secrets:
            from auditor.secrets.detect import find_secrets

            self._find_secrets = find_secrets
        self._by_detector: dict[str, list[Rule]] = {}
        for rule in rules:
            for det in rule.detectors:
                self._by_detector.setdefault(det, []).append(rule)

    # -- hit -> finding ----------------------------------------------------------------
    def rule_for(self, detector: str, language: str | None, project: SubProject | None,
                 framework: str | None = None) -> Rule | None:
        """The rule a detector's hit is reported under: among rules naming the detector,
        the most specific one that applies to the file's stack. When the stack names none of
        the frameworks those rules are about, the check's `framework` hint picks the most
        general rule for that framework; failing both, the most general rule for the file's
        language."""
        candidates = self._by_detector.get(detector)
        if not candidates:
            return None
        if framework is not None:
            about = {fw for r in candidates for fw in r.applies.frameworks}
            if project is None or not project.ids() & about:
                hinted = [r for r in candidates if framework in r.applies.frameworks]
                if hinted:
                    return min(hinted, key=lambda r: (r.applies.specificity, r.id))
        family = FAMILY.get(language or "", language)
        # a rule speaks about the file's language when it names it or a language of its family
        # (a rule with TypeScript examples speaks about .tsx and .js files too)
        speaking = [r for r in candidates if not language or family in r.languages or language in r.languages
                    or any(FAMILY.get(lang) == family for lang in r.languages if family in FAMILY.values())] or candidates
        if project is not None:
            fitting = [r for r in speaking if applies_to(r.applies, project)]
            if fitting:
                return max(fitting, key=lambda r: (r.applies.specificity, r.severity))
        return min(speaking, key=lambda r: (r.applies.specificity, -r.severity))

    def to_finding(self, hit: Hit, src: SourceFile) -> Finding | None:
        # A pinned id the knowledge base lacks falls back to the detector's rule, never drops the hit.
        rule = self.rules.get(hit.rule_id) if hit.rule_id else None
        if rule is None:
            rule = self.rule_for(hit.detector, src.language, src.project, hit.framework or src.framework)
        if rule is None:
            return None
        path = hit.path or src.path
        line = max(1, hit.line)
        lines = src.lines if path == src.path else []
        snippet = lines[line - 1].strip() if 0 < line <= len(lines) else ""
        return Finding(
            rule_id=rule.id,
            category=rule.category,
            severity=hit.severity or rule.severity,
            cwe=list(rule.cwe),
            path=path,
            line=line,
            column=max(1, hit.column),
            end_line=max(line, hit.end_line or line),
            message=hit.message or rule.title,
            snippet=snippet[:SNIPPET_CHARS],
            trace=list(hit.trace),
        )

    # -- one file ------------------------------------------------------------------------
    def scan_source(self, path: str, text: str, project: SubProject | None = None) -> list[Finding]:
        """Findings (suppressed ones marked) for one file's content; nothing is read from disk."""
        if project is None and self.stack is not None:
            project = self.stack.project_for(path)
        src = SourceFile(path=path, text=text, language=language_for(path), project=project, library=self.library)
        index = self.make_index(self.root, {path: text}) if self.root is not None else None
        if index is not None:
            src.index = index
            index.add(src)
        findings = sorted(self._scan(src), key=Finding.sort_key)  # deterministic for hooks and diffs
        if index is not None and index.cache is not None:
            index.cache.flush()
        return findings

    def make_index(self, root: Path, overrides: dict[str, str] | None = None) -> ProjectIndex:
        """The project index for `root`, with the on-disk summary cache when enabled."""
        cache = None
        if self.summary_cache:
            from auditor.cachedir import cache_dir

            cache = SummaryCache(cache_dir() / "summaries")
        return ProjectIndex(root.resolve(), cache, dict(overrides or {}),
                            project_for=self.stack.project_for if self.stack is not None else None)

    def _scan(self, src: SourceFile) -> list[Finding]:
        findings: list[Finding] = []
        seen: dict[tuple[str, str, int, int], int] = {}  # rule and place -> index in findings
        # A component's <script> blocks run the JS/TS checks too (same path, same lines).
        units = [(src, check) for check in checks_for(src.language)]
        units += [(block, check) for block in script_blocks(src) for check in checks_for(block.language)]
        # A view's Ruby code runs the checks that read embedded code (taint, not file-level patterns).
        units += [(code, check) for code in erb_code(src) for check in checks_for("ruby") if check.embedded]
        for unit, check in units:
            try:
                hits = list(check.run(unit))
            except RecursionError:
                continue  # pathological nesting: skip this check for this file, go on
            for hit in hits:
                f = self.to_finding(hit, unit)
                if f is None:
                    continue
                key = (f.path, f.rule_id, f.line, f.column)
                if key not in seen:
                    seen[key] = len(findings)
                    findings.append(f)
                elif f.severity > findings[seen[key]].severity:
                    findings[seen[key]] = f  # two checks on one place: the more specific, stronger one speaks
        if self._find_secrets is not None:
            findings.extend(self._find_secrets(src.path, src.text))
        apply_suppressions(findings, src.lines)
        assign_occurrences(findings)
        return findings

    # -- a tree --------------------------------------------------------------------------
    def scan_tree(self, root: Path, paths: Iterable[str] | None = None,
                  on_progress: Callable[[int, int], None] | None = None, jobs: int = 1) -> ScanResult:
        """Scan `paths` (relative to root; default: every file git would track) under root.

        `jobs` > 1 spreads the files over that many worker processes (each with its own
        project index; the summary cache on disk is shared). Project-level checks ("no
        helmet anywhere") run only on whole-tree scans, in this process: on a subset of
        files they would report what merely lives in a file not scanned."""
        from auditor.fsutil import walk_files

        start = time.perf_counter()
        rels = list(paths) if paths is not None else list(walk_files(root))
        candidates = [r for r in rels if language_for(r) is not None or self.secrets]
        if jobs > 1 and len(candidates) >= PARALLEL_MIN_FILES:
            result, in_projects = self._scan_parallel(root, candidates, jobs, on_progress)
            parsed = self._reread(root, in_projects) if paths is None else {}
        else:
            result, parsed = self._scan_files(root, candidates, on_progress)
        if paths is None:
            result.findings.extend(self._project_checks(parsed))
        result.findings = _once_per_place(result.findings)
        result.findings.sort(key=Finding.sort_key)
        result.seconds = time.perf_counter() - start
        return result

    def _scan_files(self, root: Path, rels: list[str], on_progress: Callable[[int, int], None] | None = None,
                    ) -> tuple[ScanResult, dict[str, list[SourceFile]]]:
        """Scan `rels` in this process: the result, and the files of each sub-project (for
        the project checks)."""
        from auditor.fsutil import read_files

        result = ScanResult()
        parsed: dict[str, list[SourceFile]] = {}
        index = self.make_index(root)
        for rel, text in read_files(root, rels, MAX_FILE_BYTES, on_progress, result.skipped):
            language = language_for(rel)
            reason = skip_reason(text, rel) if language is not None else None
            if reason is not None:
                # Code checks are noise on generated and minified files; a key pasted into
                # one is still a leaked key.
                result.skipped.append((rel, reason))
                if self._find_secrets is not None:
                    found = self._find_secrets(rel, text)
                    apply_suppressions(found, text.splitlines())
                    assign_occurrences(found)
                    result.findings.extend(found)
                continue
            project = self.stack.project_for(rel) if self.stack else None
            src = SourceFile(path=rel, text=text, language=language, project=project, index=index,
                             library=self.library)
            index.add(src)
            result.files += 1
            result.findings.extend(self._scan(src))
            if project is not None and language is not None:
                parsed.setdefault(project.path, []).append(src)
        if index.cache is not None:
            index.cache.flush()
        return result, parsed

    def _scan_chunk(self, root: Path, rels: list[str]) -> tuple[ScanResult, list[tuple[str, str]]]:
        """A worker's share: its result, and (file, sub-project) for each file of a project,
        so the parent can run the project checks without the trees crossing processes."""
        result, parsed = self._scan_files(root, rels)
        return result, [(src.path, proj) for proj, srcs in parsed.items() for src in srcs]

    def _scan_parallel(self, root: Path, rels: list[str], jobs: int,
                       on_progress: Callable[[int, int], None] | None) -> tuple[ScanResult, list[tuple[str, str]]]:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # The parent first scans one file of each language itself: the check modules, the
        # compiled tree-sitter queries and regexes are then loaded once and inherited by
        # every forked worker instead of being rebuilt in each.
        total = len(rels)
        warm = list({language_for(r): r for r in reversed(rels) if language_for(r) is not None}.values())
        result, parsed = self._scan_files(root, warm)
        in_projects = [(src.path, proj) for proj, srcs in parsed.items() for src in srcs]
        warmed = set(warm)
        rels = [r for r in rels if r not in warmed]
        # Many small chunks, interleaved by size order, so one slow folder does not leave
        # the other workers idle at the end.
        size = max(4, len(rels) // (jobs * 8))
        n_chunks = -(-len(rels) // size)
        chunks = [rels[i::n_chunks] for i in range(n_chunks)]
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        done = len(warm)
        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(method),
                                 initializer=_init_worker, initargs=(self,)) as pool:
            for chunk, (part, projects) in zip(chunks, pool.map(_run_chunk, [root] * len(chunks), chunks), strict=True):
                result.findings.extend(part.findings)
                result.skipped.extend(part.skipped)
                result.files += part.files
                in_projects.extend(projects)
                done += len(chunk)
                if on_progress is not None:
                    on_progress(min(done, total), total)
        return result, in_projects

    def _reread(self, root: Path, in_projects: list[tuple[str, str]]) -> dict[str, list[SourceFile]]:
        """The sub-projects' files for the project checks after a parallel scan (read again
        here; a tree is parsed only if a project check asks for it)."""
        from auditor.fsutil import read_files

        project_of = dict(in_projects)
        by_path = {p.path: p for p in self.stack.projects} if self.stack is not None else {}
        parsed: dict[str, list[SourceFile]] = {}
        for rel, text in read_files(root, sorted(project_of), MAX_FILE_BYTES):
            proj = project_of[rel]
            parsed.setdefault(proj, []).append(SourceFile(rel, text, language_for(rel), by_path.get(proj)))
        return parsed

    def _project_checks(self, parsed: dict[str, list[SourceFile]]) -> list[Finding]:
        if self.stack is None:
            return []
        out: list[Finding] = []
        by_path = {p.path: p for p in self.stack.projects}
        for check in all_checks()[1]:
            for proj_path, files in parsed.items():
                project = by_path.get(proj_path)
                if project is None:
                    continue
                srcs = {s.path: s for s in files}
                for hit in check.run(project, files):
                    src = srcs.get(hit.path or "") or SourceFile(path=hit.path or project.path, text="", language=None, project=project)
                    f = self.to_finding(hit, src)
                    if f is not None:
                        apply_suppressions([f], src.lines)
                        out.append(f)
        assign_occurrences(out)
        return out


def _once_per_place(findings: list[Finding]) -> list[Finding]:
    """A hit one file reports in another (a weak validator, found from each route it guards)
    arrives once per reporting file: keep one finding per rule and place."""
    seen: set[tuple[str, str, int, int]] = set()
    out: list[Finding] = []
    for f in findings:
        key = (f.path, f.rule_id, f.line, f.column)
        if key in seen:
            continue
        seen.add(key)
        out.append(f)
    return out


# -- worker processes -----------------------------------------------------------------------
# Each worker process holds the scanner it was started with (forked from the parent, so the
# rules and checks are loaded once); this list is that process's only state.
_WORKER_SCANNER: list[Scanner] = []


def _init_worker(scanner: Scanner) -> None:
    _WORKER_SCANNER[:] = [scanner]


def _run_chunk(root: Path, rels: list[str]) -> tuple[ScanResult, list[tuple[str, str]]]:
    return _WORKER_SCANNER[0]._scan_chunk(root, rels)
