"""Ruby: Gemfile (gems, versions, groups) and Gemfile.lock (resolved specs).

The Gemfile is Ruby; we read its `gem` lines and `group ... do` blocks with patterns and run
nothing. Gems from `git:`/`github:`/`path:` are not from rubygems.org and are left out, as
are the GIT and PATH sections of the lockfile.
"""

from __future__ import annotations

import re

from auditor.stack.ecosystems.base import LockIndex, ManifestError, ParseContext, ParsedFile
from auditor.stack.model import Dependency

ECOSYSTEM = "rubygems"
DEV_GROUPS = frozenset({"development", "test"})
_GEM = re.compile(r"""^\s*gem\s*\(?\s*["']([^"']+)["']((?:\s*,\s*["'][^"']*["'])*)(.*)$""")
_QUOTED = re.compile(r"""["']([^"']*)["']""")
_GROUP_BLOCK = re.compile(r"^\s*group\s*\(?(.*?)\)?\s*do\s*(\|.*\|)?\s*$")
_OTHER_BLOCK = re.compile(r"\bdo\s*(\|[^|]*\|)?\s*$")
_END = re.compile(r"^\s*end\b")
_SYMBOLS = re.compile(r"""[:"']?([A-Za-z_]\w*)""")
_GROUP_OPT = re.compile(r"""\bgroups?\s*(?::|=>)\s*(\[[^\]]*\]|%i\[[^\]]*\]|:\w+|["'][^"']+["'])""")
_NOT_REGISTRY = re.compile(r"\b(git|github|path|gist|bitbucket)\s*(?::|=>)")
_EXACT = re.compile(r"^\s*=?\s*([0-9][0-9A-Za-z.\-]*)\s*$")
_SPEC_LINE = re.compile(r"^    ([^\s(]+) \(([^)]+)\)\s*$")
_DEP_LINE = re.compile(r"^  ([^\s(!]+)!?(?: \(([^)]*)\))?!?\s*$")


def _groups(text: str) -> set[str]:
    return {g for g in _SYMBOLS.findall(text.replace("%i", "")) if g not in ("i", "w")}


def _strip_comment(line: str) -> str:
    """Drop a `#` comment that is not inside a string."""
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            return line[:i]
    return line


def parse_gemfile(text: str, path: str, ctx: ParseContext) -> ParsedFile:
    out = ParsedFile()
    blocks: list[set[str] | None] = []  # group sets of open `do` blocks (None: not a group)
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = _strip_comment(raw)
        if not line.strip():
            continue
        gm = _GROUP_BLOCK.match(line)
        if gm:
            blocks.append(_groups(gm.group(1)))
            continue
        m = _GEM.match(line)
        if m:
            name, versions, opts = m.group(1), _QUOTED.findall(m.group(2)), m.group(3)
            if _NOT_REGISTRY.search(opts):
                continue
            groups = set().union(*(b for b in blocks if b)) if any(blocks) else set()
            opt = _GROUP_OPT.search(opts)
            if opt:
                groups |= _groups(opt.group(1))
            spec = ", ".join(v.strip() for v in versions) or None
            exact = _EXACT.match(versions[0]) if len(versions) == 1 else None  # a bare version pins exactly
            out.dependencies.append(
                Dependency(name=name, ecosystem=ECOSYSTEM, path=path, line=lineno, spec=spec,
                           version=exact.group(1) if exact else None,
                           dev=bool(groups) and groups <= DEV_GROUPS)
            )
            if _OTHER_BLOCK.search(line):
                blocks.append(None)
            continue
        if _END.match(line):
            if blocks:
                blocks.pop()
            continue
        if _OTHER_BLOCK.search(line):
            blocks.append(None)  # platforms/source/install_if blocks
    return out


def _gem_version(raw: str) -> str:
    """`1.16.5-x86_64-linux` -> 1.16.5: the platform is not part of the version."""
    cut = raw.find("-")
    return raw[:cut] if cut > 0 and cut + 1 < len(raw) and raw[cut + 1].isalpha() else raw


def parse_gemfile_lock(text: str, path: str, ctx: ParseContext) -> ParsedFile:
    out = ParsedFile(lock=LockIndex())
    assert out.lock is not None
    section = ""
    saw_section = False
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if not line[0].isspace():
            section = line.strip()
            saw_section = True
            continue
        if section == "GEM":
            m = _SPEC_LINE.match(line)
            if m:
                version = _gem_version(m.group(2))
                out.lock.pin(m.group(1), version)
                out.dependencies.append(
                    Dependency(name=m.group(1), ecosystem=ECOSYSTEM, path=path, line=lineno, version=version,
                               direct=False)
                )
    if not saw_section:
        raise ManifestError("invalid Gemfile.lock: no sections (GEM, DEPENDENCIES)")
    # One gem can be listed once per platform: keep one entry per (name, version).
    unique: dict[tuple[str, str | None], Dependency] = {}
    for dep in out.dependencies:
        unique.setdefault((dep.name, dep.version), dep)
    out.dependencies = list(unique.values())
    return out
