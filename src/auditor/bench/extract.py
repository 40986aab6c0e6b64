"""Take the files out of a model's reply: fenced code blocks, each named by its info string
(```python app.py), by the line just above it (**app.py**, `app.py`:, ### app.py), or by a
first-line comment (# app.py, // File: app.js). One unnamed block is taken to be the task's
main file. Paths that would leave the project are dropped: replies are untrusted."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from auditor.bench.tasks import safe_relpath

FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>[^`\n]*)$")
PATHLIKE = re.compile(r"^[\w@.\-\[\]()/]+\.[A-Za-z0-9]{1,8}$|^(Gemfile|Dockerfile|Procfile|Rakefile)$")
ABOVE = re.compile(r"^\s*(?:#+\s*|\*\*|__|`|(?:File|Filename|Path)\s*:\s*)*"
                   r"(?:(?:File|Filename|Path)\s*:\s*)?[`*_]*(?P<path>[\w@.\-\[\]()/]+)[`*_]*\s*:?\s*$", re.I)
COMMENT = re.compile(r"^\s*(?:#|//|<!--|/\*)\s*(?:(?:File|Filename|Path)\s*:\s*)?(?P<path>[\w@.\-\[\]()/]+)\s*(?:-->|\*/)?\s*$",
                     re.I)


@dataclass
class Extracted:
    files: dict[str, str] = field(default_factory=dict)  # relative path -> content
    unplaced: int = 0  # code blocks with no usable path
    rejected: list[str] = field(default_factory=list)  # paths that would leave the project


def _path_in(token: str) -> str | None:
    token = token.strip().strip("`*_'\"")
    return token if PATHLIKE.match(token) or ("/" in token and "://" not in token) else None


def _blocks(reply: str) -> list[tuple[str, str, str]]:
    """(info string, line above, body) for every fenced block."""
    lines = reply.splitlines()
    out = []
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, info = m.group("fence"), m.group("info").strip()
        above = next((lines[j] for j in range(i - 1, max(-1, i - 3), -1) if lines[j].strip()), "")
        body: list[str] = []
        i += 1
        while i < len(lines) and not (lines[i].strip().startswith(fence[0] * len(fence))
                                      and set(lines[i].strip()) == {fence[0]}):
            body.append(lines[i])
            i += 1
        i += 1
        out.append((info, above, "\n".join(body) + "\n"))
    return out


def _name(info: str, above: str, body: str) -> tuple[str | None, str]:
    """The path a block names, and the body (minus a first-line path comment)."""
    for token in info.replace("title=", " ").replace("file=", " ").split()[::-1]:
        path = _path_in(token)
        if path:
            return path, body
    first, _, rest = body.partition("\n")
    m = COMMENT.match(first)
    if m and _path_in(m.group("path")):
        return m.group("path"), rest
    m = ABOVE.match(above)
    if m and _path_in(m.group("path")):
        return m.group("path"), body
    return None, body


def extract_files(reply: str, main: str) -> Extracted:
    """The files a reply writes. Later blocks for the same path win (models revise)."""
    result = Extracted()
    unnamed: list[str] = []
    for info, above, body in _blocks(reply):
        path, body = _name(info, above, body)
        if path is None:
            if info.split()[:1] not in (["bash"], ["sh"], ["shell"], ["console"], ["text"], ["diff"]):
                unnamed.append(body)
            continue
        rel = safe_relpath(path)
        if rel is None:
            result.rejected.append(path)
            continue
        result.files[rel] = body
    if unnamed and main not in result.files:
        result.files[main] = unnamed.pop(0)
    result.unplaced = len(unnamed)
    return result
