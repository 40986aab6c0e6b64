"""Object-level access control in JS/TS handlers.

`js.access.idor`: a handler loads, updates or deletes a record by an id taken from the
request (Mongoose `findById(req.params.id)`, Prisma `findUnique({ where: { id } })`,
Sequelize `findByPk`, TypeORM `findOneBy({ id })`, a NestJS service called with
`@Param('id')`) and nothing in the handler ties the record to the caller: no owner key in the
filter, no comparison with the session user, no policy call (a role or id read into the
answer, `role: user.role`, `id: user.id`, is no check). A read with no login anywhere is a public page and is left
alone, unless the handler then writes through the record it loaded (`post.update(...)`,
`post.destroy()`) or answers with the record's private fields (`user.password`, `user.email`).

`js.access.unauthenticated-action`: a Next.js server action or route handler that writes to
the database without asking who the caller is (`auth()`, `getServerSession()`...).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from auditor.findings import Severity
from auditor.scan.checks.javascript.syntax import (
    JS_LANGUAGES,
    JsIndex,
    args_of,
    callee_parts,
    chain,
    index,
    mentions,
    object_props,
    param_decorators,
    params_of,
    pattern_names,
    string_value,
    text,
    unwrap,
    without_comments,
    without_strings,
)
from auditor.scan.interface import Check, Hit, SourceFile

_NEEDLES = (
    "findById", "findByPk", "findUnique", "findFirst", "findOne", ".update(", ".delete(", ".destroy(", ".remove(",
    "deleteOne", "updateOne", "use server", "export async function", "req.params", "req.body", "req.query",
)
_REQ_INPUT = re.compile(r"\b(?:req|request|ctx)\s*\.\s*(?:params|query|body|request\s*\.\s*body)\b|\bparams\s*\.|\bsearchParams\b|formData\.get\(")
# A value naming a record's identifier (`id`, `orderId`, `post_id`, `pk`, `uuid`, `slug`):
# only those make a lookup an object reference a caller could swap; a random token does not.
_ID_LIKE = re.compile(r"(?:\b|_)(?:id|pk|uuid|slug)\b|[a-z0-9]Id\b")
_OWNER_KEY = re.compile(r"^(?:owner|ownerId|owner_id|user|userId|user_id|authorId|author|createdBy|created_by|tenantId|tenant_id|orgId|organizationId|accountId|customerId|memberId|teamId)$")
_OWNERSHIP = re.compile(
    r"\b(?:req|request|ctx\.state|session|locals|res\.locals)\.user\b|\bsession\?*\.user\b|\bcurrentUser\b|\bownerId\b|\bauthorId\b|\buserId\b|"
    r"\b403\b|Forbidden|\bauthori[sz]e\w*\(|\bcan\w*\(|\bability\.|isOwner|checkOwner|assertOwner|ensureOwner|[Pp]olicy\W|"
    r"[Pp]ermission\w*\(|@CurrentUser|\buser\.(?:id|sub)\b(?!\s*[,;}\]\n])|\bisAdmin\b|\.role\b(?!\s*[,;}\]\n])"
)
# `!session?.user`, `!req.user?.id`: a presence check (is anyone logged in?) is
# authentication, not evidence the record belongs to the caller; removed before looking for
# ownership so a handler that only checks the session is still judged on its filters.
_PRESENCE_CHECK = re.compile(r"!\s*[\w$]+(?:\??\.[\w$]+)*(?![\w$(.?])")  # not `!isOwner(...)`
_AUTH_CONTEXT = re.compile(r"auth|protect|requireUser|isAuthenticated|passport|(?:verify|validate|check|require)Token|jwt|session|UseGuards|currentUser|req\.user|ensureLogged|loggedIn|login", re.I)
_NEXT_AUTH = re.compile(
    r"\bauth\(\)|getServerSession|currentUser\(|getSession\(|getUser\(|requireUser|requireAuth|verifySession|validateRequest|getAuth\(|withAuth|"
    r"getToken\(|session\s*=\s*await|clerkClient|getKindeServerSession|\.auth\.getUser\("
)
_DB_WRITE = re.compile(
    r"\b(?:prisma|db|tx)\s*\.\s*\w+\s*\.\s*(?:create|createMany|update|updateMany|delete|deleteMany|upsert)\s*\(|"
    r"\bdb\s*\.\s*(?:insert|update|delete)\s*\(|\.save\(|\bsql`\s*(?:INSERT|UPDATE|DELETE)|\.(?:create|destroy|findByIdAndUpdate|findByIdAndDelete|deleteOne|updateOne)\(",
    re.I,
)

ID_ARG = frozenset({"findById", "findByIdAndUpdate", "findByIdAndDelete", "findByIdAndRemove", "findByPk"})
SERVICE_ID_ARG = frozenset({"findOne", "remove", "update", "delete", "findOneOrFail", "softDelete", "get", "getById", "findOneById"})
WHERE_METHODS = frozenset(
    {"findUnique", "findUniqueOrThrow", "findFirst", "findFirstOrThrow", "update", "delete", "upsert", "findOne",
     "findOneBy", "findOneByOrFail", "destroy", "deleteOne", "updateOne", "findOneAndUpdate", "findOneAndDelete",
     "findOneAndRemove", "findOneOrFail"}
)
MUTATING = frozenset({"findByIdAndUpdate", "findByIdAndDelete", "findByIdAndRemove", "update", "delete", "upsert", "destroy",
                      "deleteOne", "updateOne", "findOneAndUpdate", "findOneAndDelete", "findOneAndRemove", "remove", "softDelete"})
HANDLER_PARAMS = frozenset({"req", "request", "ctx"})


class AccessCheck(Check):
    languages = JS_LANGUAGES
    detectors = ("js.access.idor", "js.access.unauthenticated-action")

    def run(self, src: SourceFile) -> Iterable[Hit]:
        if not mentions(src.text, _NEEDLES):
            return []
        idx = index(src)
        if idx is None:
            return []
        hits: list[Hit] = []
        handlers = [fn for fn in idx.get("func") if _is_handler(src, fn)]
        flows: list[object] = []  # the file's dataflow, made once and only where a service is followed

        def flow() -> object:
            from auditor.scan.checks.javascript.taint import Flow

            if not flows:
                flows.append(Flow(src, idx))
            return flows[0]

        for fn in _outermost(handlers):
            inside = idx.calls_within(fn)
            found = _idor(src, fn, inside)
            if not found and src.index is not None and _service_candidates(src, fn, inside):
                found = _service_idor(src, fn, inside, flow())
            if not found and (tenant := _tenant_calls(src, fn, inside)):
                found = _tenant_hits(src, tenant, flow() if src.index is not None else None)
            hits.extend(found)
        hits.extend(_next_actions(src, idx))
        return hits


def _is_handler(src: SourceFile, fn: Node) -> bool:
    for p in params_of(fn):
        if any(d in ("Param", "Body", "Query") for d in param_decorators(src, p)):
            return True
        for name, _ in pattern_names(src, p.child_by_field_name("pattern") or p):
            if name in HANDLER_PARAMS or name == "params":
                return True
    return False


def _outermost(fns: list[Node]) -> list[Node]:
    out: list[Node] = []
    for fn in fns:
        if out and out[-1].start_byte <= fn.start_byte < out[-1].end_byte:
            continue
        out.append(fn)
    return out


def _request_names(src: SourceFile, fn: Node) -> set[str]:
    """Names in the handler that hold request input: decorated Nest params, destructured
    `params`, and variables declared from `req.params` & co."""
    names: set[str] = set()
    for p in params_of(fn):
        bound = [n for n, _ in pattern_names(src, p.child_by_field_name("pattern") or p)]
        if any(d in ("Param", "Body", "Query") for d in param_decorators(src, p)):
            names.update(bound)
        names.update(n for n in bound if n in ("params", "searchParams"))  # Next.js (awaited in 15)
    body = text(src, fn)
    for m in re.finditer(r"(?:const|let|var)\s+(\{[^}]*\}|[A-Za-z_$][\w$]*)\s*=\s*([^;\n]+)", body):
        if _REQ_INPUT.search(m.group(2)) or any(re.search(rf"\b{re.escape(n)}\b", m.group(2)) for n in names):
            names.update(re.findall(r"[A-Za-z_$][\w$]*", m.group(1).replace(":", " ")))
    return names


def _from_request(src: SourceFile, node: Node | None, names: set[str]) -> bool:
    if node is None:
        return False
    t = text(src, node)
    if _REQ_INPUT.search(t):
        return True
    inner = unwrap(node)
    while inner is not None and inner.type in ("unary_expression", "call_expression") and inner.type != "identifier":
        # +id, Number(id), parseInt(id, 10), new ObjectId(id)
        kids = args_of(inner) if inner.type == "call_expression" else inner.named_children
        inner = unwrap(kids[0]) if kids else None
    if inner is not None and inner.type == "member_expression":
        parts = chain(src, inner)  # `(await params).id`, `body.id`: a field of request input
        return parts is not None and parts[0] in names
    return inner is not None and inner.type in ("identifier", "shorthand_property_identifier") and text(src, inner) in names


def _idor(src: SourceFile, fn: Node, calls: list[Node]) -> list[Hit]:
    if _ROLE_GUARD.search(_chain_before(src, fn)):
        return []  # `router.get('/users/:id', requireAdmin, h)`: an admin may act on any record
    body = without_comments(text(src, fn))
    names = _request_names(src, fn)
    nest = any(param_decorators(src, p) for p in params_of(fn))
    evidence = _ECHOED_USER.sub("", _PRESENCE_CHECK.sub("", body))
    owned = bool(_OWNERSHIP.search(evidence) or (nest and re.search(r"\buser\b", evidence)))
    # A raw SQL read by a request id is reported, and so is the first raw write after it: the
    # statement that changes the record the client named (the debit of a client-chosen account
    # in a transfer that first reads its balance) is where the harm is.
    found: list[Hit] = []
    for call in calls:
        parts = callee_parts(src, call)
        sql = _raw_sql_lookup(src, call, parts, names, body)
        if sql in ("owner", "owner-write") and not _CHECKED.search(evidence):
            if sql == "owner" and found:
                continue
            what = "changes" if sql == "owner-write" else "reads"
            found.append(Hit.at("js.access.idor", call, f"Handler {what} the records of an owner the client names (the "
                                "SQL filters its owner column by a request value): take the owner from the session, or "
                                "check the caller may act for that owner."))
            if sql == "owner-write":
                return found
            continue
        if sql in ("id-read", "id-write"):
            if owned and not _unchecked_branch(src, fn, call, nest):
                continue
            public = sql == "id-read" and not nest and not _AUTH_CONTEXT.search(
                without_comments(_registration_text(src, fn)) + body) and not _registered_with_auth(src, fn)
            if sql == "id-read" and (found or (public and not _private_columns(src, call))):
                continue  # a public read (a product page) is not an access-control flaw
            what = "changes" if sql == "id-write" else "loads"
            if public:
                # no login anywhere: the columns it answers are the only evidence the page is not
                # meant to be public (a user directory may be), so a reminder at low severity
                found.append(Hit.at("js.access.idor", call, "Handler answers private columns (an e-mail, a balance) of a "
                                    "record picked by an id from the request, with no login or ownership check: any "
                                    "visitor reads any record's. Check the caller, or leave those columns out.",
                                    severity=Severity.LOW))
                continue
            found.append(Hit.at("js.access.idor", call, f"Handler {what} a record by an id from the request (its SQL "
                                "filters by that id alone) without checking it belongs to the caller: add the owner to "
                                "the WHERE clause (AND user_id = the session's user) or check a policy."))
            if sql == "id-write":
                return found
            continue
        if found:
            continue
        if len(parts) < 2:
            continue
        if owned and not _unchecked_branch(src, fn, call, nest):
            continue
        name = parts[-1]
        args = args_of(call)
        if not args:
            continue
        flagged = False
        if name == "eq" and len(args) >= 2 and (".from(" in text(src, call) or re.search(
                rf"\b{re.escape(parts[0])}\s*=\s*[^;]*?\.from\(", body)):
            # supabase-js / PostgREST: `sb.from('projects').select().eq('id', id)`, unless the
            # same chain also filters on an owner column (`.eq('user_id', session.user.id)`)
            column = string_value(src, args[0]) or ""
            chained = re.findall(r"\.(?:eq|match)\(\s*['\"`](\w+)['\"`]", text(src, call))
            by_id = (column in ("id", "uuid", "slug") or bool(_ID_LIKE.search(column))) \
                and not any(_OWNER_KEY.match(c) or _OWNER_KEY.match(_camel(c)) for c in chained)
            # `.eq('org_id', orgId)` with the organisation named by the client: the caller lists
            # another tenant's records unless membership is checked
            by_tenant = bool(_TENANT_COLUMN.match(column))
            flagged = (by_id or by_tenant) and _from_request(src, args[1], names)
        elif name in ID_ARG or (nest and name in SERVICE_ID_ARG and parts[0] == "this"):
            flagged = _from_request(src, args[0], names)
        elif name in WHERE_METHODS:
            props = object_props(src, args[0])
            where = object_props(src, props["where"]) if "where" in props else props
            if where and not any(_OWNER_KEY.match(k) for k in where):
                # keyed by an id (`{ _id: ... }`, `{ noteId: ... }`), or by a request value named
                # as one (`{ no: req.params.noteId }`)
                flagged = any((k in ("id", "_id", "uuid", "slug") or k.endswith("Id") or _ID_LIKE.search(text(src, v)))
                              and _from_request(src, v, names) for k, v in where.items())
            elif not props and name in ("update", "delete") and parts[0] != "prisma":
                # TypeORM repo.delete(id); an id-like value only, so `hash.update(token)` and
                # other non-lookup `update`s are not taken for one
                flagged = bool(_ID_LIKE.search(text(src, args[0]))) and _from_request(src, args[0], names)
        elif len(parts) == 2 and _APP_MODEL.search(parts[0]) and _BY_ID_METHOD.match(name):
            # the app's own data layer: `projectModel.updateState(req.params.id, ...)`,
            # `noteRepo.deleteById(id)`: a by-id call like the ORM's, an id-like first argument
            flagged = bool(_ID_LIKE.search(text(src, args[0]))) and _from_request(src, args[0], names)
        if not flagged:
            continue
        record = _bound_name(src, call)
        changed = name in MUTATING or bool(_APP_MODEL.search(parts[0]) and _MUTATING_VERB.match(name)) or (record and re.search(rf"\b{re.escape(record)}\s*\.\s*{_RECORD_WRITE}\s*\(", body)) \
            or (name == "eq" and re.search(r"\.(?:update|delete|upsert)\s*\(", text(src, call)) is not None)
        if not changed and not nest and not _AUTH_CONTEXT.search(without_comments(_registration_text(src, fn)) + body) \
                and not _registered_with_auth(src, fn) \
                and not (record and re.search(rf"\b{re.escape(record)}\s*\.\s*{_PRIVATE_FIELD}\b", body)):
            continue  # a public read (a product page) is not an access-control flaw
        what = "changes" if changed else "loads"
        if name == "eq" and _TENANT_COLUMN.match(string_value(src, args[0]) or ""):
            return [Hit.at("js.access.idor", call, "Handler reads the records of an organisation (tenant) the client names, "
                           "without checking the caller belongs to it: take the organisation from the session, or check "
                           "membership first.")]
        return [Hit.at("js.access.idor", call, f"Handler {what} a record by an id from the request without checking it belongs to the caller: add the owner to the filter (e.g. {{ id, userId: req.user.id }}) or check a policy.")]
    return found


# An explicit refusal or policy in the handler (not a mention of the session's user id).
_CHECKED = re.compile(r"\b403\b|Forbidden|\bauthori[sz]e\w*\(|isOwner|checkOwner|assertOwner|ensureOwner|[Pp]olicy\W|"
                      r"[Pp]ermission\w*\(|\bcan\w*\(|\bability\.")
_SQL_TEXT = re.compile(r"`[^`]*`|'[^'\n]*'|\"[^\"\n]*\"")
# `o.id = ${orderId}`, `user_id = $1`, `id = ?` in a WHERE clause
_SQL_COMPARE = re.compile(r"([\w.]+)\s*=\s*(?:\$\{\s*([^}]+?)\s*\}|\$(\d+)|(\?))")


# sqlite3's statement runners (`db.get(sql, cb)`, `db.all`, `db.run`, `db.each`) on a database object.
_SQLITE_RUN = frozenset({"get", "all", "run", "each"})
_DB_RECEIVER = re.compile(r"^(?:db|database|conn|connection|sqlite|client|pool|tx)$", re.I)


def _private_columns(src: SourceFile, call: Node) -> bool:
    """A raw SELECT whose column list names a field private to the record's owner (an e-mail, a
    password, a balance): a by-id read of it is no public page even with no login around."""
    args = args_of(call)
    first = unwrap(args[0]) if args else None
    if first is None or first.type not in ("template_string", "string"):
        return False
    m = re.search(r"(?is)\bselect\s+(.*?)\s+from\b", text(src, first))
    return m is not None and any(_PRIVATE_COLUMN.match(c.strip().split()[0]) for c in m.group(1).split(",") if c.strip())


def _raw_sql_lookup(src: SourceFile, call: Node, parts: list[str], names: set[str], body: str) -> str | None:
    """A raw SQL statement run by `db.query(...)` / `pool.execute(...)` / a module's `query(...)`
    helper, judged by its WHERE clause: "owner" when an owner column (`user_id`) is compared with
    a request value, "id-read" / "id-write" (UPDATE, DELETE) when an id column (`id`, `o.id`,
    `order_id`) is compared with a request value and no owner column with anything else; else
    None. The statement is the call's first argument, or the handler's variable it names (with
    its `+=` additions); values come from `${...}` substitutions or the bound parameter array."""
    if not parts or len(parts) > 2:
        return None
    if parts[-1] not in ("query", "execute") and not (len(parts) == 2 and parts[-1] in _SQLITE_RUN
                                                       and _DB_RECEIVER.match(parts[0])):
        return None
    args = args_of(call)
    first = unwrap(args[0]) if args else None
    if first is None:
        return None
    if first.type in ("template_string", "string"):
        sql = text(src, first)
    elif first.type == "identifier":
        var = re.escape(text(src, first))
        pieces = [m.group(1) for m in re.finditer(rf"\b{var}\s*\+?=\s*({_SQL_TEXT.pattern})", body)]
        sql = " ".join(pieces)
    else:
        return None
    where = re.search(r"(?i)\bwhere\b", sql)
    if where is None:
        return None
    bound_node = unwrap(args[1]) if len(args) > 1 else None
    bound = [unwrap(b) for b in bound_node.named_children] if bound_node is not None and bound_node.type == "array" else []
    owner_req = owner_other = id_req = False
    for m in _SQL_COMPARE.finditer(sql, where.end()):
        column = m.group(1).rsplit(".", 1)[-1]
        if m.group(2) is not None:
            value = m.group(2)
            # `${orderId}`, `${Number(orderId)}`, `${req.params.id}`: a request name inside
            from_req = bool(_REQ_INPUT.search(value)) or any(t in names for t in re.findall(r"(?<![.\w$])[A-Za-z_$][\w$]*", value))
        else:
            i = int(m.group(3)) - 1 if m.group(3) else sql[:m.start(4)].count("?")
            from_req = 0 <= i < len(bound) and _from_request(src, bound[i], names)
        if _OWNER_KEY.match(column) or _OWNER_KEY.match(_camel(column)):
            owner_req, owner_other = owner_req or from_req, owner_other or not from_req
        elif from_req and (column in ("id", "_id", "uuid", "slug") or column.endswith(("_id", "Id"))):
            id_req = True
    write = re.match(r"[`'\"]?\s*(?:UPDATE|DELETE)\b", sql.lstrip(), re.I) is not None
    if owner_req:
        return "owner-write" if write else "owner"
    if id_req and not owner_other:
        return "id-write" if write else "id-read"
    return None


# The current user echoed into the answer (`res.json({ profile, currentUser: req.session.user })`)
# says who is asking, not that the record is theirs.
_ECHOED_USER = re.compile(r"\b[\w$]+\s*:\s*(?:req|request)\.(?:session\.)?user\b(?![\w$.?\[])")
# A project module or object of the app's data layer, and its by-id methods.
_APP_MODEL = re.compile(r"(?:[a-z]Model|Models|Repository|Repo|Dao|DAO|Store)$")
_BY_ID_METHOD = re.compile(r"^(?:find|get|load|fetch|read|update|set|delete|remove|archive|publish|destroy|change)\w*$")
_MUTATING_VERB = re.compile(r"^(?:update|set|delete|remove|archive|publish|destroy|change)")


def _service_candidates(src: SourceFile, fn: Node, calls: list[Node]) -> list[tuple[Node, list[int]]]:
    """Calls of the handler on another module's function (`projectService.updateProject(
    req.params.id, ...)`) with request ids among their arguments (their positions), when the
    handler itself shows no ownership check."""
    body = without_comments(text(src, fn))
    if _OWNERSHIP.search(_ECHOED_USER.sub("", _PRESENCE_CHECK.sub("", body))) or _ROLE_GUARD.search(_chain_before(src, fn)):
        return []
    names = _request_names(src, fn)
    out = []
    for call in calls:
        parts = callee_parts(src, call)
        if len(parts) != 2 or parts[0] in HANDLER_PARAMS or parts[0] in ("res", "response", "this", "console"):
            continue
        at = [i for i, a in enumerate(args_of(call)) if _ID_LIKE.search(text(src, a)) and _from_request(src, a, names)]
        if at:
            out.append((call, at))
    return out


def _service_idor(src: SourceFile, fn: Node, calls: list[Node], flow: object) -> list[Hit]:
    """A layered app's handler hands a request id to a service function of another file, and
    that function loads or changes the record by it with no ownership check of its own
    (`updateProject(projectId, p) { return projectModel.updateProject(projectId, p); }`):
    reported at the service's data call, the line that acts on any caller's record."""
    if not (_AUTH_CONTEXT.search(without_comments(_registration_text(src, fn)) + text(src, fn)) or _registered_with_auth(src, fn)):
        return []  # no login anywhere: judged as a public page, as in the handler
    for call, positions in _service_candidates(src, fn, calls):
        target = flow._imported_function(call)  # type: ignore[attr-defined]
        if target is None:
            continue
        other, callee = target
        osrc = other.src
        params = params_of(callee)
        names: set[str] = set()
        for i in positions:
            if i < len(params):
                names.update(n for n, _ in pattern_names(osrc, params[i].child_by_field_name("pattern") or params[i]))
        cbody = without_comments(text(osrc, callee))
        if not names or _OWNERSHIP.search(_PRESENCE_CHECK.sub("", cbody)) or re.search(r"[Mm]ember|[Aa]llowed|[Aa]ccess", cbody):
            continue
        for m in re.finditer(r"(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*([^;\n]+)", cbody):
            if any(re.search(rf"\b{re.escape(n)}\b", m.group(2)) for n in names):
                names.add(m.group(1))
        for inner in (oidx.calls_within(callee) if (oidx := index(osrc)) is not None else []):
            parts = callee_parts(osrc, inner)
            args = args_of(inner)
            if len(parts) != 2 or not args:
                continue
            name = parts[-1]
            if not ((name in ID_ARG or (_APP_MODEL.search(parts[0]) and _BY_ID_METHOD.match(name)))
                    and _from_request(osrc, args[0], names)):
                continue
            what = "changes" if name in MUTATING or _MUTATING_VERB.match(name) else "loads"
            line = inner.start_point[0] + 1
            return [Hit("js.access.idor", line, inner.start_point[1] + 1, inner.end_point[0] + 1,
                        f"{callee_parts(src, call)[-1]}() {what} a record by the id the request names "
                        f"({src.path}:{call.start_point[0] + 1}) and nothing on the way checks it belongs to the "
                        "caller: pass the caller to the service and scope the lookup by owner or membership.",
                        path=osrc.path, trace=((src.path, call.start_point[0] + 1, "request id passed to the service"),
                                               (osrc.path, line, "record loaded or changed by that id")))]
    return []


# A key or argument naming the tenant a record lives in (`workspaceId`, `orgId`, `team_id`).
_TENANT_KEY = re.compile(r"^(?:workspace|org|organi[sz]ation|tenant|team|company)_?[Ii]d$")
# Anything that asks whether the caller belongs to that tenant.
_MEMBERSHIP = re.compile(r"(?i)\bis_?member|has_?member|membership|belongs?|hasAccess|canAccess|\ballowed\b|authori[sz]e\w*\(|"
                         r"permission|\.role\s*[!=]=|isOwner|ensure\w*Access")


def _tenant_calls(src: SourceFile, fn: Node, calls: list[Node]) -> list[tuple[Node, str, int | None]]:
    """Calls of a signed-in handler that pass a tenant id the client names (`{ workspaceId:
    Number(req.body.workspaceId) }`, `run(Number(req.body.workspaceId))`), when nothing in the
    handler asks whether the caller belongs to that tenant: (call, the key, its position)."""
    body = without_comments(text(src, fn))
    if _MEMBERSHIP.search(without_strings(body)) or _ROLE_GUARD.search(_chain_before(src, fn)):
        return []
    if not (_AUTH_CONTEXT.search(without_comments(_registration_text(src, fn)) + body) or _registered_with_auth(src, fn)):
        return []
    names = _request_names(src, fn)
    out: list[tuple[Node, str, int | None]] = []
    for call in calls:
        parts = callee_parts(src, call)
        if len(parts) != 2 or parts[0] in HANDLER_PARAMS or parts[0] in ("res", "response", "console"):
            continue
        for i, a in enumerate(args_of(call)):
            props = object_props(src, a)
            key = next((k for k, v in props.items() if _TENANT_KEY.match(k) and _from_request(src, v, names)), None)
            if key is not None:
                out.append((call, key, i))
                break
            tail = re.findall(r"[\w$]+", text(src, a))
            if tail and _TENANT_KEY.match(tail[-1]) and _from_request(src, a, names):
                out.append((call, tail[-1], None if i else 0))
                break
    return out


def _tenant_hits(src: SourceFile, tenant: list[tuple[Node, str, int | None]], flow: object) -> list[Hit]:
    """At the handler's call, and, when the callee is a service of another file that does not
    check membership either, at its first statement that uses the tenant id."""
    hits: list[Hit] = []
    for call, key, pos in tenant[:1]:
        line = call.start_point[0] + 1
        callee = flow._imported_function(call) if flow is not None else None  # type: ignore[attr-defined]
        if callee is not None:
            other, target = callee
            cbody = without_comments(text(other.src, target))
            if _MEMBERSHIP.search(without_strings(cbody)):
                continue
            used = _first_use(other.src, target, key, pos)
            if used is not None:
                hits.append(Hit.at("js.access.idor", used, f"The {key} the request names ({src.path}:{line}) is used here "
                                   "without checking the caller belongs to that tenant: check membership first, or take "
                                   "it from the session.", path=other.src.path))
        hits.append(Hit.at("js.access.idor", call, f"The handler passes a {key} the client chose without checking the caller "
                           "belongs to that workspace/organisation: check membership (or take it from the session) first."))
    return hits


def _first_use(src: SourceFile, fn: Node, key: str, pos: int | None) -> Node | None:
    """The first statement of `fn`'s body that reads the tenant id: the destructured `key`, or
    the parameter at `pos`."""
    params = params_of(fn)
    names = {key}
    if pos is not None and pos < len(params):
        target = params[pos].child_by_field_name("pattern") or params[pos]
        if target.type == "identifier":
            names = {text(src, target)}
    body = fn.child_by_field_name("body")
    if body is None or body.type != "statement_block":
        return None
    for stmt in body.named_children:
        if stmt.type == "comment":
            continue
        if any(re.search(rf"(?<![\w$.]){re.escape(n)}\b", without_comments(text(src, stmt))) for n in names):
            return stmt
    return None


_TENANT_COLUMN = re.compile(r"(?i)^(?:org(?:ani[sz]ation)?|tenant|team|workspace|account|company)_?id$")


def _camel(column: str) -> str:
    """`user_id` -> `userId`: owner columns are spelled snake_case in SQL filters."""
    head, *rest = column.split("_")
    return head + "".join(w[:1].upper() + w[1:] for w in rest)


def _unchecked_branch(src: SourceFile, fn: Node, call: Node, nest: bool) -> bool:
    """`call` sits in an if/else branch that returns, and nothing before the end of that branch
    ties the record to the caller: the ownership check the handler makes further down is never
    reached on that path (`if (skipCheck) { const p = await find(id); return json(p); }`)."""
    block = call.parent
    while block is not None and block is not fn and block.type != "statement_block":
        block = block.parent
    if block is None or block is fn or block.parent is None or block.parent.type not in ("if_statement", "else_clause"):
        return False
    if not re.search(r"\breturn\b", text(src, block)):
        return False
    upto = _PRESENCE_CHECK.sub("", without_comments(src.text[fn.start_byte:block.end_byte]))
    return not (_OWNERSHIP.search(upto) or (nest and re.search(r"\buser\b", upto)))


# Writes through a loaded record (Sequelize/Mongoose/TypeORM instances): `post.update({...})`,
# `post.destroy()`, `doc.save()`: the lookup before them is the object reference of a write.
_RECORD_WRITE = r"(?:update|destroy|save|remove|delete|deleteOne|updateOne|set|increment|decrement|restore)"
# Fields of a record that are private to its owner: a public by-id read that answers with them
# hands any visitor another account's credentials or contact data.
_PRIVATE_FIELD = r"(?:password\w*|passwordHash|hashedPassword|email|phone\w*|ssn|creditCard\w*|cardNumber|apiKey|token)"
# Columns private to a record's owner in a SELECT list (`SELECT id, username, email FROM users`).
_PRIVATE_COLUMN = re.compile(rf"(?i)^(?:\w+\.)?{_PRIVATE_FIELD}$|^(?:\w+\.)?(?:e_?mail|phone\w*|balance|salary|address|dob|birth\w*)$")


def _bound_name(src: SourceFile, call: Node) -> str:
    """The variable a lookup's result is stored in (`const post = await Post.findByPk(id)`)."""
    node = call.parent
    while node is not None and node.type in ("await_expression", "parenthesized_expression", "as_expression",
                                             "non_null_expression"):
        node = node.parent
    if node is not None and node.type == "variable_declarator":
        name = node.child_by_field_name("name")
        if name is not None and name.type == "identifier":
            return text(src, name)
    return ""


# Middleware in a route's chain that asks for a role, not only a login.
_ROLE_GUARD = re.compile(r"\b(?:require|check|ensure|is|verify|only|must(?:Be)?)_?(?:Admin|Role|Staff|Superuser|Operator)\w*|"
                         r"\b(?:admin|staff|superuser)Only\b|\b(?:has|require)Permission\w*|\bauthori[sz]e\w*\(\s*['\"`\[]", re.I)


def _chain_before(src: SourceFile, fn: Node) -> str:
    """The route registration's arguments before the handler (`'/x', auth, requireAdmin, `)."""
    parent = fn.parent
    if parent is not None and parent.type == "arguments":
        return without_comments(src.text[parent.start_byte:fn.start_byte])
    return ""


def _registration_text(src: SourceFile, fn: Node) -> str:
    """The route registration around a handler (`router.get('/x', auth, handler)`)."""
    parent = fn.parent
    if parent is not None and parent.type == "arguments" and parent.parent is not None:
        return text(src, parent.parent)[:400]
    return ""


_REQUIRE_SPEC = re.compile(r"""(?:require\(\s*|\bfrom\s+)['"](\.[^'"]+)['"]""")


def _exported_name(src: SourceFile, fn: Node) -> str:
    """The name a controller function is exported under: `{ show: (req, res) => ... }`,
    `exports.show = ...`, `module.exports.show = ...` ("" otherwise)."""
    holder = fn.parent
    if holder is not None and holder.type == "pair":
        key = holder.child_by_field_name("key")
        return text(src, key).strip("'\"") if key is not None else ""
    if holder is not None and holder.type == "assignment_expression":
        parts = chain(src, holder.child_by_field_name("left")) or []
        if len(parts) >= 2 and parts[0] in ("exports", "module"):
            return parts[-1]
    return ""


def _registered_with_auth(src: SourceFile, fn: Node) -> bool:
    """A controller function of this file is registered in another file of the project behind
    an authentication middleware (`router.route('/notes/:id').get(validateToken, notes.show)`
    in a routes file that requires this one): its records are not public."""
    name = _exported_name(src, fn)
    project = src.index
    if not name or project is None:
        return False
    registration = re.compile(rf"\.(?:get|post|put|patch|delete|del|all)\s*\(([^;]*?)\b[\w$]+\s*\.\s*{re.escape(name)}\b")
    for rel in (*project.files_with(".js"), *project.files_with(".ts")):
        other = project.source(rel) if rel != src.path else None
        if other is None or f".{name}" not in other.text:
            continue
        if not any(project.resolve_js(rel, spec) == src.path for spec in _REQUIRE_SPEC.findall(other.text)):
            continue
        if any(_AUTH_CONTEXT.search(without_comments(m.group(1))) for m in registration.finditer(other.text)):
            return True
    return False


def _next_actions(src: SourceFile, idx: JsIndex) -> list[Hit]:
    file_action = src.text.lstrip().startswith(("'use server'", '"use server"'))
    route_file = src.path.rsplit("/", 1)[-1].split(".")[0] == "route"
    if not (file_action or route_file or "use server" in src.text):
        return []
    hits: list[Hit] = []
    for fn in idx.get("func"):
        name_node = fn.child_by_field_name("name")
        name = text(src, name_node) if name_node is not None else ""
        body_node = fn.child_by_field_name("body")
        body = without_comments(text(src, body_node))
        exported = fn.parent is not None and fn.parent.type == "export_statement"
        inline_action = body.lstrip("{ \n\t").startswith(("'use server'", '"use server"'))
        is_action = (file_action and exported) or inline_action
        is_route = route_file and exported and name in ("POST", "PUT", "PATCH", "DELETE")
        if not (is_action or is_route) or not _DB_WRITE.search(body):
            continue
        if _NEXT_AUTH.search(body):
            continue
        what = f"Server action {name}" if is_action else f"Route handler {name}"
        hits.append(Hit.at("js.access.unauthenticated-action", name_node or fn,
                           f"{what} writes data without checking the caller: call auth() / getServerSession() first and scope the write to the session user."))
    return hits


CHECKS = [AccessCheck()]
