"""Helpers whose name promises a check their body does not make.

- `js.pattern.redirect-helper-unchecked` (open-redirect, CWE-601): a function named as making a
  redirect target safe (`safeRedirect`, `sanitizeReturnUrl`, `validateNext`) that returns its
  argument as it came (alone, or `target || fallback`, `target ?? '/home'`) with no test of it
  in its body (no `startsWith`, `new URL`, regex test, allow-list lookup). Every route that
  trusts the name redirects wherever the request says.
- `js.pattern.script-tag-filter` (xss, CWE-80/CWE-184): a function that returns HTML after
  removing or escaping only `<script` (`html.replace(/<script/gi, '&lt;script')`): event
  handlers (`<img onerror=...>`), `javascript:` URLs and `<svg onload>` pass untouched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from auditor.scan.checks.javascript.syntax import (
    JS_LANGUAGES,
    index,
    params_of,
    pattern_names,
    text,
    unwrap,
    without_comments,
)
from auditor.scan.interface import Check, Hit, SourceFile
from auditor.scan.treeutil import find_all

REDIRECT = "js.pattern.redirect-helper-unchecked"
SCRIPT_FILTER = "js.pattern.script-tag-filter"

_REDIRECT_HELPER = re.compile(r"(?i)^(?:safe|sanitiz\w*|validat\w*|clean|check\w*|secure|trusted)_?(?:redirect|return_?(?:to|url)|next|url|target|destination)\w*$"
                              r"|^(?:redirect|returnUrl|nextUrl)_?(?:safe|validated|checked)$")
_TESTS = re.compile(r"startsWith|endsWith|new\s+URL|\.test\(|\.match\(|includes\(|indexOf\(|\.has\(|===|!==|==|!=|allow|whitelist|"
                    r"isRelative|isSafe|isValid|url\.parse|parse\(")
_SCRIPT_ONLY = re.compile(r"\.replace(?:All)?\(\s*/\s*<\s*\\?/?\s*script[^/]*/[gimsuy]*\s*,")
_OTHER_ESCAPES = re.compile(r"&lt;|&gt;|&quot;|&#|escape|sanitize|DOMPurify|xss\(|on\w*\s*=|javascript:", re.I)


class HelperPromiseCheck(Check):
    languages = JS_LANGUAGES
    detectors = (REDIRECT, SCRIPT_FILTER)

    def run(self, src: SourceFile) -> Iterable[Hit]:
        t = src.text
        redirect = bool(re.search(r"(?i)redirect|return_?(?:to|url)|next|destination", t))
        script = "script" in t and ".replace" in t
        if not (redirect or script):
            return []
        idx = index(src)
        if idx is None:
            return []
        hits: list[Hit] = []
        for fn in idx.get("func"):
            name = _function_name(src, fn)
            body = fn.child_by_field_name("body")
            if not name or body is None:
                continue
            if redirect and _REDIRECT_HELPER.match(name):
                hit = _unchecked_redirect(src, fn, body, name)
                if hit is not None:
                    hits.append(hit)
            if script:
                hit = _script_filter(src, body, name)
                if hit is not None:
                    hits.append(hit)
        return hits


def _function_name(src: SourceFile, fn: Node) -> str:
    n = fn.child_by_field_name("name")
    if n is not None:
        return text(src, n)
    holder = fn.parent
    if holder is not None and holder.type == "variable_declarator":
        return text(src, holder.child_by_field_name("name"))
    if holder is not None and holder.type == "pair":
        return text(src, holder.child_by_field_name("key")).strip("'\"")
    return ""


def _returns(src: SourceFile, body: Node) -> list[Node]:
    if body.type != "statement_block":
        return [body]  # `(t) => t || '/'`
    out = []
    for ret in find_all(src.language or "javascript", body, ("return_statement",)):
        if ret.named_children:
            out.append(ret)
    return out


def _unchecked_redirect(src: SourceFile, fn: Node, body: Node, name: str) -> Hit | None:
    params = params_of(fn)
    if not params:
        return None
    first = {n for n, _ in pattern_names(src, params[0].child_by_field_name("pattern") or params[0])}
    code = without_comments(text(src, body))
    if _TESTS.search(code):
        return None
    for ret in _returns(src, body):
        value = unwrap(ret.named_children[0]) if ret.type == "return_statement" else unwrap(ret)
        if value is None:
            continue
        head = value
        if value.type == "binary_expression" and text(src, value.child_by_field_name("operator")) in ("||", "??"):
            head = unwrap(value.child_by_field_name("left"))
        if head is not None and head.type == "identifier" and text(src, head) in first:
            return Hit.at(REDIRECT, ret, f"{name}() returns the target it is given without checking it: every redirect "
                          "that trusts its name goes wherever the request says. Allow only relative paths "
                          "(one leading '/', not '//') or hosts on an allow-list.")
    return None


def _script_filter(src: SourceFile, body: Node, name: str) -> Hit | None:
    code = without_comments(text(src, body))
    m = _SCRIPT_ONLY.search(code)
    if m is None:
        return None
    rest = re.sub(r"^\s*(['\"`])(?:(?!\1).)*\1", "", code[m.end():], count=1)  # its replacement text
    if _OTHER_ESCAPES.search(code[:m.start()] + rest):
        return None
    for ret in _returns(src, body):
        if _SCRIPT_ONLY.search(text(src, ret)) or re.search(r"<\s*\\?/?\s*script", text(src, ret)):
            return Hit.at(SCRIPT_FILTER, ret, f"{name}() removes only `<script` from HTML it returns: event handlers "
                          "(<img onerror=...>), javascript: URLs and <svg onload> pass. Escape the text, or sanitize the "
                          "HTML with an allow-list sanitizer (DOMPurify, sanitize-html).")
    return None


CHECKS = [HelperPromiseCheck()]
