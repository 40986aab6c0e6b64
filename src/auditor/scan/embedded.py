"""Code embedded in another file kind: the `<script>` blocks of Vue single-file components
and Svelte components are JavaScript or TypeScript, scanned with the JS/TS checks; the
Ruby code of ERB views (`<% %>`, `<%= %>`) is scanned with the Ruby taint check.

Each block becomes a SourceFile with the component's path whose text is the whole file with
everything outside the block blanked (newlines kept, other characters turned to spaces), so
the lines and columns the checks report are the component's own."""

from __future__ import annotations

import re

from auditor.scan.interface import SourceFile

SCRIPT_HOSTS = frozenset({"vue", "svelte"})
_SCRIPT = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.S | re.I)
_LANG = re.compile(r"""\blang\s*=\s*["']?(?P<lang>[\w-]+)""", re.I)
_LANGUAGES = {"ts": "typescript", "typescript": "typescript", "tsx": "tsx", "js": "javascript",
              "javascript": "javascript", "jsx": "javascript"}
_BLANK = re.compile(r"[^\n]")
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def script_blocks(src: SourceFile) -> list[SourceFile]:
    """The JS/TS blocks of a .vue/.svelte file (a `src=` reference or another language: none)."""
    if src.language not in SCRIPT_HOSTS or "<script" not in src.text:
        return []
    out: list[SourceFile] = []
    text = src.text
    # Tags inside HTML comments are not blocks: match on a copy with the comments blanked.
    visible = _COMMENT.sub(lambda c: _BLANK.sub(" ", c.group(0)), text)
    for m in _SCRIPT.finditer(visible):
        attrs = m.group("attrs")
        if re.search(r"\bsrc\s*=", attrs) or not m.group("body").strip():
            continue
        lang_m = _LANG.search(attrs)
        language = _LANGUAGES.get(lang_m.group("lang").lower()) if lang_m else "javascript"
        if language is None:
            continue  # lang="coffee" and the like: no grammar here
        start, end = m.start("body"), m.end("body")
        blanked = _BLANK.sub(" ", text[:start]) + text[start:end] + _BLANK.sub(" ", text[end:])
        out.append(SourceFile(src.path, blanked, language, src.project, index=src.index))
    return out


_ERB_TAG = re.compile(r"<%(?!%)(?P<open>[=#-]*)(?P<code>.*?)(?P<close>-?%>)", re.S)


def erb_code(src: SourceFile) -> list[SourceFile]:
    """The Ruby code of an ERB view as one Ruby file: each tag's code in place, everything
    else blanked, each tag ended with `;` (two tags on one line are two statements).
    Comments (`<%#`) are blanked too. No project index: a view's code is read on its own."""
    if src.language != "erb" or "<%" not in src.text:
        return []
    text = src.text
    parts: list[str] = []
    at = 0
    for m in _ERB_TAG.finditer(text):
        parts.append(_BLANK.sub(" ", text[at:m.start("code")]))
        code = m.group("code")
        parts.append(_BLANK.sub(" ", code) if "#" in m.group("open") else code)
        close = m.group("close")
        parts.append(";" + " " * (len(close) - 1))
        at = m.end()
    parts.append(_BLANK.sub(" ", text[at:]))
    return [SourceFile(src.path, "".join(parts), "ruby", src.project)]
