"""Access-control checks for Spring handlers: object-level authorization and mass assignment.

`java.access.idor`: a handler looks a record up (findById, deleteById, em.find ...) by an id
taken from the request, and nothing in the handler ties the record to the caller: no
@PreAuthorize/@PostAuthorize/@Secured, no Principal/Authentication parameter, no owner- or
tenant-scoped query, no AccessDeniedException / 403. Admin controllers (mapped under
/admin) are left to URL rules.

`java.access.mass-assignment`: a request-bound object is saved as it came in (the
entity itself bound from @RequestBody/@ModelAttribute), so a client can set fields such as
`role`, `owner` or `balance`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from tree_sitter import Node

from auditor.scan.checks.java.model import (
    JavaFile,
    MethodInfo,
    annotation_strings,
    call_args,
    java_file,
    walk,
)
from auditor.scan.checks.java.taint_spec import FRAMEWORK_PARAM_TYPES, SAFE_PARAM_TYPES
from auditor.scan.interface import Check, Hit, SourceFile

_LOOKUP = re.compile(
    r"^(?:findById|getById|getReferenceById|getOne|findOne|deleteById|existsById|findByIdOrNull|"
    r"(?:find|get|load|fetch|delete|remove|update|read)\w*By(?:Id|Uuid|Slug|Number|Code|Key|PublicId))$")
_STORE = re.compile(r"(?i)(?:repo|repository|dao|em|entitymanager|mapper|store|service|manager|jdbctemplate)$")
# Words (lower case) whose presence in a handler shows it ties the record to the caller.
_OWNERSHIP: tuple[str, ...] = (
    "securitycontextholder", "getprincipal", "getauthentication", "currentuser", "accessdeniedexception",
    "forbidden", "haspermission", "checkaccess", "checkowner", "assertowner", "verifyowner", "ensureowner",
    "isowner", "authoriz", "ownedby", "byowner", "andowner", "anduser", "byuserid", "byuser", "andtenant",
    "bytenant", "andaccount", "tenantid", "principal", "requireowner", "canaccess", "canedit", "canview",
    "permissionevaluator",
)
# Service-style lookups (`orderService.getOrder(id)`) count too, except for public content.
_SERVICE_LOOKUP = re.compile(r"^(?:get|find|load|fetch|delete|remove|update|cancel|read|download)[A-Z]\w*$")
_SERVICE = re.compile(r"(?i)(?:service|repository|repo|dao|manager)$")
_PUBLIC = re.compile(r"(?i)product|catalog|article|post|categor|blog|news|faq|tag|countr|city|public|book|movie|menu|"
                     r"page|course|recipe|review")
_AUTHZ_ANNOTATIONS = frozenset({"PreAuthorize", "PostAuthorize", "Secured", "RolesAllowed", "PostFilter", "PreFilter"})
_IDENTITY_TYPES = frozenset({"Principal", "Authentication", "UserDetails", "OAuth2User", "Jwt", "JwtAuthenticationToken",
                             "OidcUser", "CustomUserDetails", "UserPrincipal", "AuthUser", "CurrentUser"})
_IDENTITY_ANNOTATIONS = frozenset({"AuthenticationPrincipal", "CurrentUser", "CurrentSecurityContext"})
_SAVE = frozenset({"save", "saveAndFlush", "saveAll", "persist", "merge", "insert", "update", "create"})
_DTO_SUFFIX = re.compile(r"(?:Dto|DTO|Request|Form|Command|Payload|Input|Params|Resource|View|Response|Body|Data|Patch|"
                         r"Create|Update|Cmd|Model|Req)$")
_ENTITY_PACKAGE = re.compile(r"\.(?:entity|entities|domain|model|models|persistence|jpa)\.(\w+)$")


def _admin_scoped(m: MethodInfo, jf: JavaFile) -> bool:
    paths = [s for a in m.annotations.values() for s in annotation_strings(a)]
    if m.cls is not None:
        paths += [s for n, a in m.cls.annotations.items() if n == "RequestMapping" for s in annotation_strings(a)]
    return any("admin" in p.lower() for p in paths)


def _mentions(body: str, name: str) -> bool:
    """Does `body` use the identifier `name` (not merely a longer name containing it)?"""
    start = body.find(name)
    while start != -1:
        end = start + len(name)
        before = body[start - 1] if start else " "
        after = body[end] if end < len(body) else " "
        if not (before.isalnum() or before in "_$") and not (after.isalnum() or after in "_$"):
            return True
        start = body.find(name, end)
    return False


def _has_identity(m: MethodInfo, jf: JavaFile, skip: Node | None = None) -> bool:
    """Does handler `m` tie records to the caller? `skip` is a call whose text is left out
    (its callee was shown to ignore the identity it is handed)."""
    if _AUTHZ_ANNOTATIONS.intersection(m.annotations):
        return True
    if m.cls is not None and _AUTHZ_ANNOTATIONS.intersection(m.cls.annotations):
        return True
    body_text = jf.text(m.body)
    if skip is not None:
        body_text = body_text.replace(jf.text(skip), " ", 1)
    for p in m.params:
        # An identity parameter counts only when the body reads it: a handler that asks
        # Spring for the Principal and never looks at it checks nothing (a common AI habit).
        if (p.base_type in _IDENTITY_TYPES or _IDENTITY_ANNOTATIONS.intersection(p.annotations)) and \
                _mentions(body_text, p.name):
            return True
    body = body_text.lower()
    return any(word in body for word in _OWNERSHIP)


def _request_ids(m: MethodInfo, jf: JavaFile) -> set[str]:
    """Parameter names bound from the path or query, plus locals computed from them."""
    ids = {p.name for p in m.params if {"PathVariable", "RequestParam"}.intersection(p.annotations)}
    ids |= {p.name for p in m.params if not p.annotations and m.is_handler and p.base_type in SAFE_PARAM_TYPES | {"String"}}
    if not ids or m.body is None:
        return ids
    for node in _declarators(m.body):
        value = node.child_by_field_name("value")
        if value is not None and {jf.text(n) for n in walk(value) if n.type == "identifier"} & ids:
            ids.add(jf.text(node.child_by_field_name("name")))
    return ids


def _declarators(body: Node) -> Iterator[Node]:
    """Local variable declarators of a method body (statements only, not every node)."""
    stack = [body]
    while stack:
        n = stack.pop()
        if n.type == "variable_declarator":
            yield n
        elif n.type not in ("method_invocation", "lambda_expression", "class_body", "argument_list"):
            stack.extend(n.named_children)


def _unscoped_callee_lookup(jf: JavaFile, call: Node, ids: set[str],
                            helpers: dict[tuple[str, int], list[MethodInfo]]) -> bool:
    """`service.get(id, user.getUsername())` where `get` is a method of this file that loads
    the record by the id parameter and never reads the other values it is handed (the
    username is passed along, then dropped): the handler's identity scopes nothing."""
    args = call_args(call)
    id_positions = [i for i, a in enumerate(args) if {jf.text(n) for n in walk(a) if n.type == "identifier"} & ids]
    if not id_positions:
        return False
    for callee in helpers.get((jf.text(call.child_by_field_name("name")), len(args)), ()):
        body = jf.text(callee.body)
        others = [p.name for i, p in enumerate(callee.params) if i not in id_positions]
        if any(_mentions(body, n) for n in others) or any(w in body.lower() for w in _OWNERSHIP) or \
                _AUTHZ_ANNOTATIONS.intersection(callee.annotations):
            continue
        id_names = {callee.params[i].name for i in id_positions}
        for inner in jf.calls_in(callee.body):  # type: ignore[arg-type]
            recv = jf.text(inner.child_by_field_name("object")).rsplit(".", 1)[-1]
            if _LOOKUP.match(jf.text(inner.child_by_field_name("name"))) and _STORE.search(recv) and \
                    not _PUBLIC.search(recv) and \
                    {jf.text(n) for a in call_args(inner) for n in walk(a) if n.type == "identifier"} & id_names:
                return True
    return False


def idor(jf: JavaFile) -> Iterator[Hit]:
    helpers: dict[tuple[str, int], list[MethodInfo]] = {}
    for h in jf.methods:
        if not h.is_handler and h.body is not None:
            helpers.setdefault((h.name, len(h.params)), []).append(h)
    for m in jf.methods:
        if not m.is_handler or m.body is None or _admin_scoped(m, jf):
            continue
        ids = _request_ids(m, jf)
        body_ids = {p.name for p in m.params if "RequestBody" in p.annotations}
        if not ids and not body_ids:
            continue
        for node in jf.calls_in(m.body):
            name = jf.text(node.child_by_field_name("name"))
            recv = jf.text(node.child_by_field_name("object")).rsplit(".", 1)[-1]
            args = call_args(node)
            if not args:
                continue
            by_service = _SERVICE_LOOKUP.match(name) and _SERVICE.search(recv) and not _PUBLIC.search(recv + name)
            if (_LOOKUP.match(name) and _STORE.search(recv) and not _PUBLIC.search(recv)) or by_service:
                used = {jf.text(n) for a in args for n in walk(a) if n.type == "identifier"}
                by_body = any(re.fullmatch(rf"{re.escape(b)}\.get\w*Id\(\)", jf.text(a)) for a in args for b in body_ids)
                if (used & ids or by_body) and not _has_identity(m, jf):
                    yield Hit.at("java.access.idor", node,
                                 "record loaded by a client-supplied id with no ownership check: scope the query to the "
                                 "caller (findByIdAndOwner...) or use @PreAuthorize/@PostAuthorize")
                    break
            elif name == "find" and recv in ("em", "entityManager") and len(args) == 2:
                if {jf.text(n) for n in walk(args[1]) if n.type == "identifier"} & ids and not _has_identity(m, jf):
                    yield Hit.at("java.access.idor", node, "entity loaded by a client-supplied id with no ownership check")
                    break
            elif helpers and _unscoped_callee_lookup(jf, node, ids, helpers) and not _has_identity(m, jf, skip=node):
                yield Hit.at("java.access.idor", node,
                             "the service method loads the record by id and ignores the caller identity passed to "
                             "it: scope its query to the owner (findByIdAndOwner...)")
                break


def _entity_types(jf: JavaFile) -> set[str]:
    types = {c.name for c in jf.classes if {"Entity", "Document", "Table"}.intersection(c.annotations)}
    for imp in jf.imports:
        m = _ENTITY_PACKAGE.search(imp)
        if m and not _DTO_SUFFIX.search(m.group(1)):
            types.add(m.group(1))
    return types


def mass_assignment(jf: JavaFile) -> Iterator[Hit]:
    if "InitBinder" in jf.annotations and re.search(r"setAllowedFields|setDisallowedFields", jf.src.text):
        return
    entities = _entity_types(jf)
    for m in jf.methods:
        if not m.is_handler or m.body is None:
            continue
        bound: dict[str, Node] = {}
        for p in m.params:
            explicit = {"RequestBody", "ModelAttribute"}.intersection(p.annotations)
            implicit = not p.annotations and p.base_type not in FRAMEWORK_PARAM_TYPES | SAFE_PARAM_TYPES | {"String"}
            if (explicit or implicit) and not _DTO_SUFFIX.search(p.base_type) and not p.type.startswith(("Map", "List")):
                bound[p.name] = p.node
        if not bound:
            continue
        for node in jf.calls_in(m.body):
            if jf.text(node.child_by_field_name("name")) not in _SAVE:
                continue
            recv = jf.text(node.child_by_field_name("object")).rsplit(".", 1)[-1]
            args = call_args(node)
            if not args or args[0].type != "identifier" or jf.text(args[0]) not in bound:
                continue
            param = m.param(jf.text(args[0]))
            is_entity = param is not None and param.base_type in entities
            if re.search(r"(?i)(?:repo|repository|dao|em|entitymanager|mapper)$", recv) or is_entity:
                yield Hit.at("java.access.mass-assignment", node,
                             "request body bound straight onto a persisted entity: bind a DTO with only the editable "
                             "fields and copy them explicitly")


class JavaAccessCheck(Check):
    """Object-level authorization and mass assignment in Spring controllers."""

    languages = frozenset({"java"})
    detectors = ("java.access.idor", "java.access.mass-assignment")

    def run(self, src: SourceFile) -> Iterable[Hit]:
        if "Mapping" not in src.text:
            return []
        jf = java_file(src)
        if jf is None:
            return []
        return [*idor(jf), *mass_assignment(jf)]


CHECKS = [JavaAccessCheck()]
