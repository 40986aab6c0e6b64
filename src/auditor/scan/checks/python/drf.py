"""Django REST framework and Django forms, judged class by class: public write view sets,
view sets that serve every row to any logged-in user, and `fields = "__all__"`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from auditor.findings import Severity
from auditor.scan.checks.python.facts import PyFacts, collect, string_value, text
from auditor.scan.checks.python.frameworks import framework_of, pin_exact
from auditor.scan.checks.python.taint import OWNERSHIP
from auditor.scan.interface import Check, Hit, SourceFile

_WRITE_VIEWS = re.compile(r"\b(?:ModelViewSet|CreateAPIView|UpdateAPIView|DestroyAPIView|RetrieveUpdateAPIView|"
                          r"RetrieveDestroyAPIView|RetrieveUpdateDestroyAPIView|ListCreateAPIView|UpdateModelMixin|"
                          r"DestroyModelMixin|CreateModelMixin)\b")
_READ_VIEWS = re.compile(r"\b(?:ReadOnlyModelViewSet|RetrieveAPIView|RetrieveModelMixin|ListAPIView)\b")
# Views that can change or delete an existing row (a create-only view stamps new rows).
_CHANGE_VIEWS = re.compile(r"\b(?:ModelViewSet|UpdateAPIView|DestroyAPIView|RetrieveUpdateAPIView|RetrieveDestroyAPIView|"
                           r"RetrieveUpdateDestroyAPIView|UpdateModelMixin|DestroyModelMixin)\b")
_CHANGE_METHODS = re.compile(r"\bdef\s+(?:update|partial_update|destroy|put|patch|delete|perform_update|perform_destroy)\s*\(")
# Permission classes that declare the rows readable by anyone (anonymous callers included).
_PUBLIC_READ_PERMS = frozenset({"AllowAny", "IsAuthenticatedOrReadOnly"})
# A query keyword whose value is the caller (or derived from it) scopes the rows:
# `.filter(author__in=self.request.user.profile.follows.all())`.
_CALLER_FILTER = re.compile(r"\.(?:filter|exclude|get)\(\s*[^)]*?\b\w+\s*=\s*(?:self\.)?request\.user\b")
_BASIC_PERMS = frozenset({"IsAuthenticated", "IsAuthenticatedOrReadOnly", "AllowAny", "permissions.IsAuthenticated",
                          "permissions.IsAuthenticatedOrReadOnly", "permissions.AllowAny"})
# Calls whose keyword arguments set fields on the row being written.
_STAMPING_CALLS = frozenset({"save", "create"})
_FORM_BASES = re.compile(r"\b(?:ModelSerializer|HyperlinkedModelSerializer|ModelForm)\b")


def _class_assignments(klass: Node) -> dict[str, Node]:
    body = klass.child_by_field_name("body")
    out: dict[str, Node] = {}
    if body is None:
        return out
    for st in body.named_children:
        if st.type == "expression_statement" and st.named_children and st.named_children[0].type == "assignment":
            a = st.named_children[0]
            left = a.child_by_field_name("left")
            if left is not None and left.type == "identifier":
                out[text(left)] = a
    return out


def _scoping_text(klass: Node, facts: PyFacts) -> str:
    """The class text that can scope or check access: without the keyword arguments of
    save()/create() calls, which stamp the caller on a new row (perform_create's
    `serializer.save(owner=self.request.user)`) and leave every existing row readable."""
    start, end = klass.start_byte, klass.end_byte
    data = klass.text or b""
    cuts: list[tuple[int, int]] = []
    for call, _q, m in facts.named_calls():
        if call.start_byte < start or call.end_byte > end or m not in _STAMPING_CALLS:
            continue
        args = call.child_by_field_name("arguments")
        for a in args.named_children if args is not None else ():
            if a.type == "keyword_argument":
                cuts.append((a.start_byte - start, a.end_byte - start))
    if not cuts:
        return data.decode("utf-8", "replace")
    parts: list[bytes] = []
    pos = 0
    for a, b in sorted(cuts):
        if a >= pos:
            parts.append(data[pos:a])
            pos = b
    parts.append(data[pos:])
    return b"".join(parts).decode("utf-8", "replace")


class DrfCheck(Check):
    languages = frozenset({"python"})
    detectors = ("py.drf.allow-any", "py.drf.object-scope", "py.pattern.model-all-fields")

    def run(self, src: SourceFile) -> Iterable[Hit]:
        if "class " not in src.text or not ("rest_framework" in src.text or "ModelForm" in src.text or "Serializer" in src.text):
            return []
        facts = collect(src)
        if not facts.ok:
            return []
        framework = framework_of(src, facts) or "django"
        out: list[Hit] = []

        def report(det: str, node: Node, message: str, severity: Severity | None = None) -> None:
            out.append(Hit.at(det, node, message, severity=severity, framework=framework))

        for klass in facts.classes:
            bases = text(klass.child_by_field_name("superclasses"))
            if not bases:
                continue
            if _FORM_BASES.search(bases):
                if "Serializer" in bases and facts.imported("rest_framework"):
                    drf_rule = pin_exact(src, "drf.serializer.explicit-fields")
                    self._meta_fields(klass, lambda d, n, m, s=None, r=drf_rule: out.append(Hit.at(d, n, m, severity=s, rule_id=r, framework=framework)))
                else:
                    self._meta_fields(klass, report)
                continue
            write = bool(_WRITE_VIEWS.search(bases))
            read = bool(_READ_VIEWS.search(bases))
            if not (write or read):
                continue
            assigns = _class_assignments(klass)
            perms_node = assigns.get("permission_classes")
            perms = {p.strip() for p in re.split(r"[\[\](),|&~]", text(perms_node.child_by_field_name("right"))) if p.strip()} if perms_node is not None else set()
            if write and perms_node is not None and any(p.endswith("AllowAny") for p in perms):
                report("py.drf.allow-any", perms_node, "AllowAny on a view set that writes: anyone can create, change or delete")
                continue
            if not perms <= _BASIC_PERMS:
                continue  # a custom or model/object permission class decides
            scoping = _scoping_text(klass, facts)
            if OWNERSHIP.search(scoping) or _CALLER_FILTER.search(scoping):
                continue
            if {p.rsplit(".", 1)[-1] for p in perms} & _PUBLIC_READ_PERMS and not (
                    _CHANGE_VIEWS.search(bases) or _CHANGE_METHODS.search(scoping)):
                continue  # rows declared public to read, and no way to change an existing one
            qs = assigns.get("queryset")
            if qs is None:
                continue
            report("py.drf.object-scope", qs,
                   "view set serves and changes every row to any caller: filter get_queryset() by request.user",
                   None if write else Severity.LOW)
        return out

    @staticmethod
    def _meta_fields(klass: Node, report) -> None:  # noqa: ANN001 - local closure
        body = klass.child_by_field_name("body")
        for st in body.named_children if body is not None else ():
            if st.type == "class_definition" and text(st.child_by_field_name("name")) == "Meta":
                fields = _class_assignments(st).get("fields")
                if fields is not None and string_value(fields.child_by_field_name("right")) == "__all__":
                    report("py.pattern.model-all-fields", fields,
                           'fields = "__all__" lets clients set every model field: list the fields')


CHECKS = [DrfCheck()]
