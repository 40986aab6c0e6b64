"""Server secrets and the environment put into what a route answers with.

`js.pattern.env-in-response` (security-misconfiguration): a property of a route's response
object (returned by a Nest route handler, or passed to `res.json/send`) whose value is the
whole `process.env` (directly or through a local name that holds it), or a `process.env`
variable named for a secret (`JWT_SECRET`, `DB_PASSWORD`, `DATABASE_URL`, `*_API_KEY`,
`*_TOKEN`, ...). Anyone who calls the route reads the keys that sign sessions and reach the
database. Reporting only that a variable is set (`process.env.X ? 'SET' : 'NOT_SET'`) is clean.
Every request header copied into the answer (a debug echo) is reported the same way: it hands
the Authorization header and httpOnly cookies back to whatever script made the request. So are
credentials: a password or its hash (`rawPassword: password`, `storedHash: user.password_hash`,
debug answers of a login or a registration) and the module's own signing key (`jwtSecret:
JWT_SECRET`, a constant named for a secret or a private key): whoever reads the answer, a
proxy's log or a browser extension, holds them.

`js.pattern.server-internals-in-response` (security-misconfiguration, low): the same response
objects carrying the server's own paths or runtime (`__dirname`, `__filename`, `process.cwd()`,
`process.execPath`, `process.version(s)`), alone or inside a template. Error and debug
answers that say where the code lives and which Node runs it hand an attacker the paths for a
traversal and the version to look up advisories for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from auditor.scan.checks.javascript.syntax import (
    JS_LANGUAGES,
    enclosing_function,
    index,
    params_of,
    response_object,
    text,
    unwrap,
)
from auditor.scan.interface import Check, Hit, SourceFile
from auditor.scan.treeutil import find_all

DETECTOR = "js.pattern.env-in-response"
INTERNALS = "js.pattern.server-internals-in-response"
_INTERNAL = re.compile(r"^(?:__dirname|__filename|process\s*\.\s*(?:cwd\s*\(\s*\)|execPath|versions?))$")
_INTERNAL_IN_TEMPLATE = re.compile(r"\$\{\s*(?:__dirname|__filename|process\s*\.\s*(?:cwd\s*\(\s*\)|execPath|versions?))")
_PREFILTER = ("process.env", "__dirname", "__filename", "process.cwd", "process.execPath", "process.version", "headers",
              "assw", "ecret", "ECRET", "PRIVATE_KEY", "rivateKey")
# A password or its stored hash, as the last name of the value (`password`, `user.password_hash`,
# `hashedPassword`, `body.rawPassword`).
_PASSWORD_VALUE = re.compile(r"(?i)^(?:raw|plain|plaintext|provided|hashed|stored|new|current|old)?_?pass(?:word|wd)(?:_?hash(?:ed)?)?$")
# A module constant named for a signing key or secret (`JWT_SECRET`, `sessionSecret`, `PRIVATE_KEY`).
_KEY_CONSTANT = re.compile(r"(?i)secret|private_?key|signing_?key")
# Every request header copied into the answer (`Object.fromEntries(req.headers.entries())`,
# Express `req.headers`): the caller's Authorization and Cookie headers, and those a proxy adds.
_ALL_HEADERS = re.compile(r"^(?:Object\s*\.\s*fromEntries\s*\(\s*)?(?:req|request|ctx(?:\s*\.\s*request)?)\s*\.\s*headers"
                          r"(?:\s*\.\s*entries\s*\(\s*\))?(?:\s*\))?$")
_ENV = re.compile(r"^process\s*\.\s*env$")
_ENV_VAR = re.compile(r"^process\s*\.\s*env\s*(?:\.\s*([A-Za-z_]\w*)|\[\s*['\"`]([A-Za-z_]\w*)['\"`]\s*\])$")
_SECRET_VAR = re.compile(r"(?i)secret|passw|pwd|token|private|credential|(?:^|_)(?:api_?)?keys?(?:_|$)|"
                         r"(?:database|db|mongo\w*|redis|postgres\w*|mysql)_?(?:url|uri|dsn)|connection_?string|dsn$")


class EnvInResponseCheck(Check):
    languages = JS_LANGUAGES
    detectors = (DETECTOR, INTERNALS)

    def run(self, src: SourceFile) -> Iterable[Hit]:
        if not any(n in src.text for n in _PREFILTER):
            return []
        idx = index(src)
        if idx is None:
            return []
        aliases: dict[int, set[str]] = {}  # function start -> names holding process.env
        hits: list[Hit] = []
        payloads: dict[int, tuple[Node, list[str]]] = {}  # return statement -> what it carries
        for pair in idx.get("pair"):
            value = unwrap(pair.child_by_field_name("value"))
            if value is None:
                continue
            what = self._exposed(src, value, aliases)
            internal = "" if what else self._internal(src, value)
            if not (what or internal) or pair.parent is None:
                continue
            if not response_object(src, pair.parent):
                ret = _request_payload(src, pair.parent) if what else None
                if ret is not None:
                    payloads.setdefault(ret.start_byte, (ret, []))[1].append(what)
                continue
            if what:
                hits.append(Hit.at(DETECTOR, pair, f"The response carries {what}: anyone who calls this route reads "
                                   "it. Return only what the client needs; keep secrets and the environment on the server."))
            else:
                hits.append(Hit.at(INTERNALS, pair, f"The response carries {internal}: it tells the caller where the "
                                   "code lives or which runtime serves it. Log it on the server and answer with a "
                                   "generic message."))
        for ret, whats in payloads.values():
            # one finding for the payload a helper builds for a route's answer, over all of it
            hits.append(Hit.at(DETECTOR, ret, f"This payload, built from the request for a route to answer with, carries "
                               f"{', '.join(whats)}: whoever calls that route reads them. Keep secrets and the "
                               "environment on the server."))
        return hits

    @staticmethod
    def _internal(src: SourceFile, value: Node) -> str:
        t = text(src, value)
        if _INTERNAL.match(t):
            return f"`{t}`"
        if value.type == "template_string":
            m = _INTERNAL_IN_TEMPLATE.search(t)
            if m:
                return f"`{m.group(0)[2:].strip()}`"
        return ""

    def _exposed(self, src: SourceFile, value: Node, aliases: dict[int, set[str]]) -> str:
        t = text(src, value)
        if _ENV.match(t):
            return "the whole process.env"
        if _ALL_HEADERS.match(t) and t.count("(") == t.count(")"):
            return "every request header (Authorization and cookies included, which script in a page must never read)"
        m = _ENV_VAR.match(t)
        if m:
            name = m.group(1) or m.group(2)
            return f"process.env.{name}" if _SECRET_VAR.search(name) else ""
        if value.type == "identifier":
            fn = enclosing_function(value)
            if fn is not None and t in self._env_names(src, fn, aliases):
                return f"the whole process.env (as `{t}`)"
            if _KEY_CONSTANT.search(t) and re.search(rf"(?m)^(?:export\s+)?(?:const|let|var)\s+{re.escape(t)}\s*[:=]", src.text):
                return f"the signing key `{t}`"
        if value.type in ("identifier", "member_expression") and _PASSWORD_VALUE.match(t.rsplit(".", 1)[-1].strip()):
            return f"a password or its hash (`{t}`)"
        return ""

    @staticmethod
    def _env_names(src: SourceFile, fn: Node, aliases: dict[int, set[str]]) -> set[str]:
        """Local names of `fn` that hold process.env or a copy made from a name that does
        (`const env = process.env; let shown = env;`), in order of declaration."""
        if fn.start_byte in aliases:
            return aliases[fn.start_byte]
        names: set[str] = set()
        body = fn.child_by_field_name("body")
        declarators = find_all(src.language or "javascript", body, ("variable_declarator",)) if body is not None else []
        for decl in declarators:
            name, init = decl.child_by_field_name("name"), unwrap(decl.child_by_field_name("value"))
            if name is not None and init is not None and (_ENV.match(text(src, init)) or text(src, init) in names):
                names.add(text(src, name))
        aliases[fn.start_byte] = names
        return names


def _request_payload(src: SourceFile, obj: Node) -> Node | None:
    """The return statement when `obj` is what a helper that takes the request returns
    (`function buildDebugPayload(req) { return { session: req.session, env: {...} }; }`): a
    payload made for an answer to that request, sent by the route that calls it."""
    while obj.parent is not None and obj.parent.type in ("pair", "object", "parenthesized_expression"):
        obj = obj.parent
    holder = obj.parent
    fn = enclosing_function(obj)
    if fn is None or holder is None or holder.type != "return_statement":
        return None
    params = [text(src, p).split(":")[0].strip() for p in params_of(fn)]
    return holder if params and params[0] in ("req", "request") and "res" not in params[1:2] else None


CHECKS = [EnvInResponseCheck()]
