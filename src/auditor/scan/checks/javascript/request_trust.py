"""Security decisions taken on values the client writes, read from the file's syntax.

- `js.pattern.host-header-link`: a password-reset, verification or invitation link built from
  the request's Host (`req.headers.host`, `req.get('host')`, `req.hostname`, X-Forwarded-Host,
  Origin). Any client can send `Host: evil.example`: the victim then gets a mail whose link
  carries their reset token to the attacker's server (reset poisoning). Reported when the
  string holds a token-like path or is built in a function that sends mail.
- `js.pattern.client-role-decision`: a branch on a role or login flag read from a cookie, a
  header, the query string or the body (`if (req.cookies.isAdmin === 'true')`). The client
  sets all of them. Signed cookies (`req.signedCookies`) are left out; so is a body/query
  `role` checked only to reject it (`if (req.body.role === 'admin') return res.status(403)`),
  which is validation, not trust. NestJS handlers read the same values through parameter
  decorators (`@Query('role') role`, `@Headers('x-admin') admin`, `@Body('isAdmin') isAdmin`):
  a branch in the handler on such a parameter is the same decision.
- `js.pattern.client-role-decision` also covers the browser deciding on a role it keeps itself:
  a branch on a role or admin flag read from `localStorage`/`sessionStorage` (directly or
  through a local). The user edits storage at will, so such a check only hides the page;
  reported low, as a reminder that the server must check the role on every request.
- `js.pattern.header-identity`: the caller's identity built from a header the client sends
  (`return { userId: req.headers.get('x-user-id') }`, `req.user = { id: req.get('x-user-id') }`,
  directly or through a local name): an object field named for a user, tenant or role whose
  value is an `X-User-*` / `X-Org-*` / `X-Tenant-*` / `X-Role` / `X-Account-*` header. Headers
  an authenticating proxy sets by convention (`X-Forwarded-User`, `X-Remote-User`) are left out.
- `js.pattern.cookie-identity`: a login that keeps the caller's identity in a plain cookie
  (`res.cookie('user_id', row.id)`, `res.cookie('role', user.role)`) which the app reads back as
  the caller (`req.cookies.user_id`): the client writes its cookies, so anyone sets
  `user_id=1` and is user 1. A signed cookie (`{ signed: true }`, read from `req.signedCookies`)
  or a session is clean.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from auditor.findings import Severity
from auditor.scan.checks.javascript.syntax import (
    JS_LANGUAGES,
    enclosing_function,
    index,
    param_decorators,
    param_target,
    params_of,
    text,
    unwrap,
)
from auditor.scan.interface import Check, Hit, SourceFile

_REQ = r"\b(?:req|request|ctx)\s*\.\s*"
_HEADER_KEY = r"""(?:host|x-forwarded-host|origin)"""
_HOST = re.compile(
    _REQ + r"(?:headers\s*(?:\?\.)?\s*(?:\.\s*(?:host|origin)\b|\[\s*['\"`]" + _HEADER_KEY + r"['\"`]\s*\]"
    r"|\.\s*get\s*\(\s*['\"`]" + _HEADER_KEY + r"['\"`]\s*\))"
    r"|(?:get|header)\s*\(\s*['\"`]" + _HEADER_KEY + r"['\"`]\s*\)|hostname\b|host\b|origin\b)",
    re.I,
)
_TOKEN_PATH = re.compile(r"reset|token|verif|confirm|activat|invit|magic|passw|unsubscribe", re.I)
_SENDS_MAIL = re.compile(r"sendMail|sendEmail|send_email|nodemailer|transporter|mailer|sgMail|mailgun|postmark|"
                         r"SendEmailCommand|\bmail\s*\(|resend\.emails", re.I)
_STRINGS = frozenset({"template_string", "binary_expression"})

_FLAG_NAME = r"(?:is_?)?(?:admin|administrator|superuser|super_?admin|staff|moderator)|role|roles|user_?role|access_?level|" \
             r"privileges?|permissions?|(?:is_?)?authori[sz]ed|(?:is_?)?logged_?in|(?:is_?)?authenticated|user_?type"
_ADMIN_NAME = r"(?:is_?)?(?:admin|administrator|superuser|super_?admin|staff|moderator)|(?:is_?)?authori[sz]ed|" \
              r"(?:is_?)?logged_?in|(?:is_?)?authenticated"
_KEY = r"(?:\s*(?:\?\.)?\s*\.\s*({n})\b|\s*(?:\?\.)?\s*\[\s*['\"`]({n})['\"`]\s*\]|\s*\.\s*get\s*\(\s*['\"`]({n})['\"`])"
_CLIENT_FLAG = re.compile(_REQ + r"(cookies|headers|query|body)" + _KEY.format(n=_FLAG_NAME), re.I)
_HEADER_FLAG = re.compile(_REQ + r"(?:get|header)\s*\(\s*['\"`](x-[\w-]*(?:admin|role)[\w-]*)['\"`]", re.I)
_ADMIN_ONLY = re.compile(rf"^(?:{_ADMIN_NAME})$", re.I)
_REJECTS = re.compile(r"status\s*\(\s*4\d\d|sendStatus\s*\(\s*4\d\d|\bthrow\b|Forbidden|Unauthorized|next\s*\(\s*(?:new\s+|createError)",
                      re.I)
_CONDITIONS = frozenset({"if_statement", "ternary_expression", "while_statement"})
_STORAGE_ROLE = re.compile(r"\b(?:window\s*\.\s*)?(?:localStorage|sessionStorage)\s*\.\s*getItem\s*\(\s*['\"`]("
                           + _FLAG_NAME + r")['\"`]\s*\)", re.I)
_IDENTITY_HEADER = r"x-(?:user|uid|org|organization|tenant|role|account|member)[\w-]*"
_HEADER_READ = re.compile(_REQ + r"(?:headers\s*(?:\?\.)?\s*(?:\.\s*get\s*\(\s*|\[\s*)|get\s*\(\s*|header\s*\(\s*)['\"`]("
                          + _IDENTITY_HEADER + r")['\"`]", re.I)
_IDENTITY_KEY = re.compile(r"^(?:user_?id|uid|sub|id|org_?id|organization_?id|tenant_?id|account_?id|role|roles|user|email)$", re.I)
# `@Query('role')`, `@Headers('x-user-role')`, `@Body('isAdmin')`: a Nest handler parameter read from the client
_NEST_FLAG_PARAM = re.compile(r"@(Query|Body|Headers)\(\s*['\"`]([\w-]*)['\"`]\s*\)\s*(\w+)", re.I)
_NEST_SOURCES = {"Query": "query", "Body": "body", "Headers": "headers"}


class RequestTrustCheck(Check):
    languages = JS_LANGUAGES
    detectors = ("js.pattern.host-header-link", "js.pattern.client-role-decision", "js.pattern.header-identity",
                 "js.pattern.cookie-identity")

    def run(self, src: SourceFile) -> Iterable[Hit]:
        body = src.text
        host = _HOST.search(body) is not None
        flags = _CLIENT_FLAG.search(body) is not None or _HEADER_FLAG.search(body) is not None
        nest = _NEST_FLAG_PARAM.search(body) is not None
        identity = _HEADER_READ.search(body) is not None
        storage = _STORAGE_ROLE.search(body) is not None
        cookie = "req.cookies" in body and ".cookie(" in body
        if not host and not flags and not nest and not identity and not storage and not cookie:
            return []
        idx = index(src)
        if idx is None:
            return []
        hits: list[Hit] = []
        if host:
            hits += _host_links(src, idx.get("func"))
        if flags:
            hits += _client_decisions(src)
        if nest:
            hits += _nest_decisions(src, idx.get("func"))
        if identity:
            hits += _header_identities(src, idx.get("pair"))
        if storage:
            hits += _storage_decisions(src)
        if cookie:
            hits += _cookie_identities(src, idx.get("call"))
        return hits


# A cookie named for who the caller is or what they may do.
_IDENTITY_COOKIE = re.compile(r"^(?:user_?id|uid|user|username|login|account_?id|member_?id|role|user_?role|is_?admin|admin)$", re.I)


def _cookie_identities(src: SourceFile, calls: list[Node]) -> list[Hit]:
    """`res.cookie(name, value, opts)` of an identity-named cookie, not signed, whose name the
    file reads back from `req.cookies` (see the module doc)."""
    hits: list[Hit] = []
    for call in calls:
        fn = call.child_by_field_name("function")
        if fn is None or fn.type != "member_expression" or text(src, fn.child_by_field_name("property")) != "cookie":
            continue
        args = call.child_by_field_name("arguments")
        values = [a for a in args.named_children if a.type != "comment"] if args is not None else []
        if len(values) < 2 or values[0].type != "string":
            continue
        name = text(src, values[0]).strip("'\"")
        if not _IDENTITY_COOKIE.match(name):
            continue
        opts = text(src, values[2]) if len(values) > 2 else ""
        if re.search(r"\bsigned\s*:\s*true\b", opts) or re.search(r"(?i)random|uuid|token|jwt|sign\(", text(src, values[1])):
            continue
        if not re.search(rf"""\b(?:req|request)\s*\.\s*cookies\s*(?:\?\.)?\s*(?:\.\s*{re.escape(name)}\b|\[\s*['"`]{re.escape(name)}['"`]\s*\])""", src.text):
            continue
        hits.append(Hit.at("js.pattern.cookie-identity", call,
                           f"The caller's identity is kept in the plain cookie `{name}` and read back from req.cookies: "
                           "the client writes its cookies, so anyone can claim any account. Keep a random session id "
                           "(express-session) or sign the cookie (cookieParser(secret), { signed: true }, req.signedCookies)."))
    return hits


def _storage_decisions(src: SourceFile) -> list[Hit]:
    """Branches on a role read from browser storage, directly or through a local of the same
    function (`const role = localStorage.getItem('role'); if (role !== 'admin') ...`)."""
    hits: list[Hit] = []
    for node, cond in _conditions(src):
        cond_text = text(src, cond)
        m = _STORAGE_ROLE.search(cond_text)
        key = m.group(1) if m is not None else None
        if key is None:
            fn = enclosing_function(node)
            scope = text(src, fn) if fn is not None else src.text
            for d in re.finditer(r"\b(?:const|let|var)\s+(\w+)\s*=\s*([^;\n]+)", scope):
                h = _STORAGE_ROLE.search(d.group(2))
                if h is not None and re.search(rf"(?<![\w.$]){re.escape(d.group(1))}\b", cond_text):
                    key = h.group(1)
                    break
        if key is None:
            continue
        hits.append(Hit.at("js.pattern.client-role-decision", cond,
                           f"The browser decides on `{key}` from its own storage, which the user can edit: this only hides "
                           "the page. Make sure the server checks the role on every request it serves.",
                           severity=Severity.LOW))
    return hits


def _header_identities(src: SourceFile, pairs: list[Node]) -> list[Hit]:
    """Object fields named for the caller's identity whose value is an identity header the
    client sends, read there or held in a local of the same function."""
    hits: list[Hit] = []
    held: dict[int, dict[str, str]] = {}  # function start -> local name -> header it holds
    seen: set[int] = set()  # one finding per object
    for pair in pairs:
        if pair.parent is None or pair.parent.start_byte in seen:
            continue
        key = pair.child_by_field_name("key")
        value = unwrap(pair.child_by_field_name("value"))
        if key is None or value is None or not _IDENTITY_KEY.match(text(src, key).strip("'\"`")):
            continue
        vtext = text(src, value)
        m = _HEADER_READ.search(vtext)
        header = m.group(1) if m is not None and m.start() == 0 else None
        if header is None and value.type in ("identifier", "binary_expression"):
            fn = enclosing_function(pair)
            if fn is None:
                continue
            if fn.start_byte not in held:
                held[fn.start_byte] = {d.group(1): h.group(1) for d in re.finditer(r"\b(?:const|let|var)\s+(\w+)\s*=\s*([^;\n]+)", text(src, fn))
                                       if (h := _HEADER_READ.match(d.group(2).strip())) is not None}
            first = unwrap(value.child_by_field_name("left")) if value.type == "binary_expression" else value
            header = held[fn.start_byte].get(text(src, first)) if first is not None else None
        if header is None:
            continue
        seen.add(pair.parent.start_byte)
        hits.append(Hit.at("js.pattern.header-identity", pair,
                           f"`{text(src, key)}` of the caller's identity comes from the {header} header, which the client "
                           "sends: anyone can claim any user or tenant. Take it from a verified session or token."))
    return hits


def _host_links(src: SourceFile, functions: list[Node]) -> list[Hit]:
    hits: list[Hit] = []
    seen: set[int] = set()
    for fn in functions:
        body = text(src, fn)
        if not _HOST.search(body):
            continue
        # one hop: `const host = req.get('host')`, then `${host}` in the link
        held = {m.group(1) for m in re.finditer(r"\b(?:const|let|var)\s+(\w+)\s*=\s*([^;\n]+)", body) if _HOST.search(m.group(2))}
        held_re = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(held))) + r")\b") if held else None
        mails = _SENDS_MAIL.search(body) is not None
        for node in _outer_strings(fn):
            owner = enclosing_function(node)
            if node.start_byte in seen or owner is None or owner.start_byte != fn.start_byte:
                continue
            s = text(src, node)
            if not (_HOST.search(s) or (held_re is not None and held_re.search(s))):
                continue
            if not (mails or _TOKEN_PATH.search(s) or _TOKEN_PATH.search(_target_name(src, node))):
                continue
            seen.add(node.start_byte)
            hits.append(Hit.at("js.pattern.host-header-link", node,
                               "Link built from the request's Host header, which the client sets: a reset or verification "
                               "mail then points at the attacker's host with the token. Build it from a configured base URL "
                               "(process.env.APP_URL)."))
    return hits


def _outer_strings(fn: Node) -> Iterable[Node]:
    """Template strings and `+` chains of a function, outermost only."""
    stack = list(fn.named_children)
    while stack:
        node = stack.pop()
        if node.type in _STRINGS and (node.type == "template_string" or node.child_by_field_name("operator") is None
                                      or node.child_by_field_name("operator").type == "+"):  # type: ignore[union-attr]
            yield node
            continue
        stack.extend(node.named_children)


def _target_name(src: SourceFile, node: Node) -> str:
    """The name a string is stored under (`const resetUrl = ...`, `{ link: ... }`)."""
    parent = node.parent
    if parent is not None and parent.type in ("variable_declarator", "pair", "assignment_expression"):
        target = parent.child_by_field_name("name") or parent.child_by_field_name("key") or parent.child_by_field_name("left")
        return text(src, target)
    return ""


def _conditions(src: SourceFile) -> Iterable[tuple[Node, Node]]:
    """(branching node, its condition) for every if, conditional and while of the file."""
    tree = src.tree
    stack = [tree.root_node] if tree is not None else []
    while stack:
        node = stack.pop()
        stack.extend(node.named_children)
        cond = unwrap(node.child_by_field_name("condition")) if node.type in _CONDITIONS else None
        if cond is not None:
            yield node, cond


def _client_decisions(src: SourceFile) -> list[Hit]:
    hits: list[Hit] = []
    for node, cond in _conditions(src):
        cond_text = text(src, cond)
        m = _CLIENT_FLAG.search(cond_text)
        header = _HEADER_FLAG.search(cond_text)
        if m is None and header is None:
            continue
        where, name = ("headers", header.group(1)) if m is None and header is not None else \
            (m.group(1).lower(), next(g for g in m.groups()[1:] if g))  # type: ignore[union-attr]
        if where in ("query", "body"):
            if (where == "body" and not _ADMIN_ONLY.match(name)) or _only_rejects(src, node):
                continue
        hits.append(Hit.at("js.pattern.client-role-decision", cond,
                           f"Access decided on `{name}` from the request's {where}, which the client sets: anyone can send "
                           f"it. Decide on the server-side session or a verified token's claims.",
                           severity=Severity.MEDIUM if where == "headers" else None))
    return hits


def _only_rejects(src: SourceFile, condition: Node) -> bool:
    """The branch taken on the flag only rejects the request (403, throw, next(error)): the
    value is checked to refuse it, which is validation, not trust."""
    branch = condition.child_by_field_name("consequence")
    return branch is not None and _REJECTS.search(text(src, branch)[:400]) is not None


def _nest_decisions(src: SourceFile, functions: list[Node]) -> list[Hit]:
    """Branches of a Nest handler on a role or login flag it takes from the query, the body
    or a header through a parameter decorator (judged as `_client_decisions` judges req.*)."""
    hits: list[Hit] = []
    for fn in functions:
        flagged: dict[str, tuple[str, str]] = {}  # parameter name -> (where, key)
        for param in params_of(fn):
            decorators = [d for d in param_decorators(src, param) if d in _NEST_SOURCES]
            target = param_target(param)
            m = _NEST_FLAG_PARAM.search(text(src, param))
            if not decorators or target.type != "identifier" or m is None:
                continue
            where, key = _NEST_SOURCES[decorators[0]], m.group(2)
            header = where == "headers" and re.search(r"admin|role", key, re.I)
            if not (header or re.fullmatch(_FLAG_NAME, key, re.I)):
                continue
            if where == "body" and not _ADMIN_ONLY.match(key):
                continue
            flagged[text(src, target)] = (where, key)
        if not flagged:
            continue
        names = re.compile(r"(?<![\w.$])(" + "|".join(map(re.escape, flagged)) + r")\b")
        stack = list(fn.named_children)
        while stack:
            node = stack.pop()
            stack.extend(node.named_children)
            cond = unwrap(node.child_by_field_name("condition")) if node.type in _CONDITIONS else None
            m = names.search(text(src, cond)) if cond is not None else None
            if m is None:
                continue
            if _only_rejects(src, node):
                continue
            where, key = flagged[m.group(1)]
            hits.append(Hit.at("js.pattern.client-role-decision", cond,
                               f"Access decided on `{key}` from the request's {where} (a handler parameter), which the "
                               "client sets: anyone can send it. Decide on the authenticated user or a verified token's claims."))
    return hits


CHECKS = [RequestTrustCheck()]
