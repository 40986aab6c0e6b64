"""Request bodies read whole with no size limit.

`js.pattern.unbounded-body` (missing-rate-limiting, CWE-770/CWE-400): a Fetch-API route handler
(Next.js app router, Remix, Hono, workers) that reads the raw body whole (`await
req.arrayBuffer()`, `await req.blob()`) and never looks at its size (the Content-Length header,
`.byteLength`, `.size`) in that function. Unlike Express's body parsers these calls have no
default limit: a few requests of a gigabyte each fill the server's memory. JSON and text bodies
are left out (frameworks and proxies usually cap them); so is a read after a size check.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from auditor.scan.checks.javascript.syntax import (
    JS_LANGUAGES,
    callee_parts,
    enclosing_function,
    index,
    text,
    without_comments,
)
from auditor.scan.interface import Check, Hit, SourceFile

DETECTOR = "js.pattern.unbounded-body"
_REQUEST = frozenset({"req", "request"})
_WHOLE_READS = frozenset({"arrayBuffer", "blob"})
_SIZE_CHECK = re.compile(r"content-length|contentLength|\.byteLength\b|\.size\b|maxBytes|max_?(?:body|upload|payload)\w*|MAX_\w*(?:SIZE|BYTES)", re.I)


class UnboundedBodyCheck(Check):
    languages = JS_LANGUAGES
    detectors = (DETECTOR,)

    def run(self, src: SourceFile) -> Iterable[Hit]:
        if "arrayBuffer(" not in src.text and "blob(" not in src.text:
            return []
        idx = index(src)
        if idx is None:
            return []
        hits: list[Hit] = []
        for call in idx.get("call"):
            parts = callee_parts(src, call)
            if len(parts) != 2 or parts[0] not in _REQUEST or parts[1] not in _WHOLE_READS:
                continue
            fn = enclosing_function(call)
            if fn is None:
                continue
            before = without_comments(src.text[fn.start_byte:call.start_byte])
            after = without_comments(src.text[call.end_byte:fn.end_byte])
            # a size check before the read, or on what was read, bounds it
            if _SIZE_CHECK.search(before) or re.search(r"(?:byteLength|size)\s*[><]=?|[><]=?\s*\w*(?:MAX|max|LIMIT|limit)", after):
                continue
            hits.append(Hit.at(DETECTOR, call, f"{text(src, call)} reads the whole body with no size limit: check "
                               "Content-Length against a maximum first (and refuse with 413), or stream it with a cap."))
        return hits


CHECKS = [UnboundedBodyCheck()]
