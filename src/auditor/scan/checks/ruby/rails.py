"""Rails pattern checks that need no taint: strong parameters, CSRF switches, record
lookups without an ownership or policy check, login actions without throttling, weak
password hashing. One walk over the tree collects the calls; controllers get a second,
class-local look for access control and rate limiting."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from tree_sitter import Node

from auditor.findings import Severity
from auditor.scan.checks.ruby.legacy_models import model_whitelisted, rails_major
from auditor.scan.checks.ruby.rbsyntax import (
    call_parts,
    class_name,
    enclosing_class,
    is_controller,
    keyword_value,
)
from auditor.scan.interface import Check, Hit, SourceFile
from auditor.scan.treeutil import text, walk

MASS_ASSIGN_METHODS = frozenset({
    "new", "create", "create!", "update", "update!", "update_attributes", "update_attributes!",
    "assign_attributes", "build", "insert", "insert_all", "upsert", "upsert_all", "update_columns",
    "first_or_create", "first_or_create!", "find_or_create_by", "find_or_create_by!",
    "find_or_initialize_by", "create_with", "attributes=",
})
# Library classes whose `new` takes one value, not a record's attributes.
NOT_MODELS = frozenset({"ERB", "Erubi::Engine", "Erubis::Eruby", "Haml::Engine", "Slim::Template", "Regexp", "URI",
                        "Pathname", "File", "Date", "Time", "BigDecimal", "OpenStruct", "Set", "StringIO", "Logger"})
# A whole argument that is the raw params hash (or a sub-hash of it), never permitted.
RAW_PARAMS = re.compile(r"^(?:params|request\.(?:parameters|params))"
                        r"(?:\[:?\w+\]|\.require\(:?\w+\)|\.fetch\(:?\w+\)|\.to_unsafe_h(?:ash)?|\.dig\([^)]*\))*$")
SENSITIVE_KEYS = frozenset({"role", "roles", "admin", "is_admin", "superuser", "super_admin", "superadmin",
                            "permissions", "permission", "access_level", "is_staff", "staff",
                            # moderation state a user must not lift themselves
                            "banned", "is_banned", "blocked", "suspended", "verified", "is_verified",
                            "approved", "is_approved"})
# Foreign keys that move a record to another owner, tenant, role or billing plan.
OWNERSHIP_KEYS = frozenset({"account_id", "user_id", "owner_id", "plan_id", "role_id", "organization_id", "org_id",
                            "company_id", "tenant_id", "team_id"})
FIND_METHODS = frozenset({"find", "find_by_id", "find_by_id!", "destroy", "delete", "find_by", "find_by!", "where"})
# Anywhere in the controller: a policy library call or an ownership before_action.
CLASS_AUTHZ = ("authorize", "policy_scope", "accessible_by", "can?", "cannot?", "load_and_authorize_resource",
               "correct_user", "require_owner", "ensure_owner", "verify_owner", "check_owner",
               "verify_authorized", "allowed_to?", "require_admin", "admin_only", "ensure_admin",
               "authenticate_admin")
# In the action itself: any comparison or scoping with the signed-in principal.
METHOD_AUTHZ = (*CLASS_AUTHZ, "current_user", "Current.user", "current_account", "Current.account",
                "current_tenant", "owned_by?")
LOGIN_CLASS = re.compile(r"(Session|Login|Auth|SignIn|Signin|Password)\w*Controller$")
LOGIN_BODY = re.compile(r"authenticate|valid_password\?|password|sign_in|log_in|login")
RATE_LIMIT_WORDS = ("rate_limit", "Rack::Attack", "throttle", "Throttle", "RateLimit")
HASH_RECEIVER = re.compile(r"^(?:::)?(?:Digest::(?:MD5|SHA1|SHA2|SHA256|SHA384|SHA512|RMD160)|OpenSSL::Digest(?:::\w+|\.new\([^)]*\))?)$")
PASSWORDY = re.compile(r"pass(?:word|wd|phrase)?|pwd", re.I)
PREFILTER = ("attr_accessible", "permit", "params", "verify_authenticity_token", "forgery", "find", "Digest", "Controller")


class RailsPatternCheck(Check):
    languages = frozenset({"ruby"})
    detectors = ("rb.pattern.mass-assignment", "rb.pattern.csrf", "rb.pattern.idor",
                 "rb.pattern.login-rate-limit", "rb.pattern.password-hash")

    def run(self, src: SourceFile) -> Iterable[Hit]:
        if not any(w in src.text for w in PREFILTER):
            return []
        tree = src.tree
        if tree is None:
            return []
        hits: list[Hit] = []
        controllers: list[Node] = []
        for n in walk(tree.root_node, frozenset({"ERROR"})):
            if n.type == "call":
                hits.extend(self._call(src, n))
            elif n.type == "identifier" and n.parent is not None and n.parent.type == "body_statement" \
                    and text(src, n) in ("protect_from_forgery", "skip_forgery_protection"):
                hits.extend(_csrf(src, n, text(src, n), []))  # a bare statement (no arguments) in a class body
            elif n.type == "class" and is_controller(src, n):
                controllers.append(n)
        for cls in controllers:
            hits.extend(_idor(src, cls))
            hits.extend(_login_rate_limit(src, cls))
        return hits

    def _call(self, src: SourceFile, node: Node) -> Iterator[Hit]:
        method, receiver, args = call_parts(src, node)
        if method == "permit!":
            if _narrowed(src, node):
                return
            yield Hit.at("rb.pattern.mass-assignment", node,
                         "`params.permit!` allows every attribute: list the permitted keys with `permit(...)`")
        elif method == "attr_accessible":
            # Rails 3 mass assignment: every listed attribute is settable from `new(params[:x])`.
            keys = {text(src, a).lstrip(":").strip("'\"") for a in args if a.type in ("simple_symbol", "string")}
            bad = sorted(keys & (SENSITIVE_KEYS | OWNERSHIP_KEYS))
            if bad:
                yield Hit.at("rb.pattern.mass-assignment", node,
                             f"attr_accessible lets any form set privilege field(s) {', '.join(bad)}: "
                             "leave them out and set them server-side")
        elif method == "permit" and not _is_admin(src, node):
            keys = {text(src, a).lstrip(":").strip("'\"") for a in args if a.type in ("simple_symbol", "string")}
            bad = sorted(keys & SENSITIVE_KEYS)
            if bad:
                yield Hit.at("rb.pattern.mass-assignment", node,
                             f"Strong parameters permit privilege field(s) {', '.join(bad)}: set them server-side")
        elif method in MASS_ASSIGN_METHODS and args and receiver not in NOT_MODELS:
            bypass = keyword_value(src, args, "without_protection")
            # A hash written in the code names its own keys; a hash from elsewhere may name any.
            if bypass is not None and text(src, bypass) == "true" and args[0].type != "hash":
                yield Hit.at("rb.pattern.mass-assignment", node,
                             f"`{method}(..., without_protection: true)` skips attr_accessible: every attribute in the hash is set")
                return
            first = re.sub(r"\s+", "", text(src, args[0]))
            # A model that whitelists its attributes (attr_accessible, or strong parameters'
            # ForbiddenAttributesProtection) takes only the listed keys from the hash.
            if RAW_PARAMS.match(first) and not model_whitelisted(src, receiver) and \
                    not _forbidden_attributes_raise(src, method, first):
                sev = Severity.MEDIUM if "to_unsafe_h" not in first else None
                yield Hit.at("rb.pattern.mass-assignment", node,
                             f"`{method}` receives unfiltered params: use `params.require(:x).permit(...)` (`params.expect` on Rails 8)",
                             severity=sev)
        elif method in ("skip_before_action", "skip_before_filter", "skip_forgery_protection", "protect_from_forgery"):
            yield from _csrf(src, node, method, args)
        elif method in ("hexdigest", "digest", "base64digest") and HASH_RECEIVER.match(receiver):
            if _passwordy(src, node, args):
                yield Hit.at("rb.pattern.password-hash", node,
                             "Passwords hashed with a fast digest: use `has_secure_password`/BCrypt or Argon2")


def _narrowed(src: SourceFile, node: Node) -> bool:
    """`params.permit!` whose result only picks listed keys (`.slice(:a)`, `.extract!(:a)`) or
    only fills a route helper's query (`groups_path(params.permit!)`): no record gets the hash."""
    parent = node.parent
    if parent is not None and parent.type == "call" and parent.child_by_field_name("receiver") == node:
        return call_parts(src, parent)[0] in ("slice", "extract!", "values_at", "dig", "fetch")
    if parent is not None and parent.type == "argument_list" and parent.parent is not None and parent.parent.type == "call":
        helper = call_parts(src, parent.parent)[0]
        return helper.endswith(("_path", "_url")) or helper == "url_for"
    return False


def _is_admin(src: SourceFile, node: Node) -> bool:
    return "Admin" in class_name(src, enclosing_class(node)) or "/admin/" in f"/{src.path}"


def _is_api(src: SourceFile, cls: Node | None) -> bool:
    name = class_name(src, cls)
    sup = text(src, cls.child_by_field_name("superclass")) if cls is not None else ""
    return "ActionController::API" in sup or name.startswith(("Api::", "API::")) or "/api/" in f"/{src.path}" \
        or "Webhook" in name


# Methods that pass their hash through ForbiddenAttributesProtection: given unpermitted
# ActionController::Parameters they raise instead of setting anything.
FORBIDDEN_CHECKED = frozenset({
    "new", "create", "create!", "update", "update!", "update_attributes", "update_attributes!",
    "assign_attributes", "attributes=", "build", "first_or_create", "first_or_create!", "first_or_initialize",
    "find_or_create_by", "find_or_create_by!", "find_or_initialize_by", "create_with", "where",
})


def _forbidden_attributes_raise(src: SourceFile, method: str, arg: str) -> bool:
    """Rails 5+ without the protected_attributes gem: `User.new(params[:user])` raises
    ForbiddenAttributesError (params are unpermitted Parameters), nothing is assigned.
    `to_unsafe_h` and `request.parameters` hand a plain hash over, which is not checked."""
    if method not in FORBIDDEN_CHECKED or "to_unsafe_h" in arg or not arg.startswith("params"):
        return False
    major = rails_major(src)
    project = src.project
    if major is None or major < 5 or project is None:
        return False
    return not any(d.name.startswith("protected_attributes") for d in project.dependencies)


def _csrf(src: SourceFile, node: Node, method: str, args: list[Node]) -> Iterator[Hit]:
    cls = enclosing_class(node)
    if _is_api(src, cls):
        return
    if method == "skip_forgery_protection" or (
        method in ("skip_before_action", "skip_before_filter") and any(text(src, a) == ":verify_authenticity_token" for a in args)
    ):
        yield Hit.at("rb.pattern.csrf", node,
                     "CSRF protection is switched off for a session-authenticated controller")
    elif method == "protect_from_forgery":
        strategy = keyword_value(src, args, "with")
        if strategy is not None and text(src, strategy) == ":null_session":
            yield Hit.at("rb.pattern.csrf", node,
                         "`with: :null_session` lets forged requests through: use `with: :exception` for browser sessions")
        elif strategy is None:
            # The method's own default strategy is :null_session (only `default_protect_from_forgery`
            # of Rails 5.2+ raises): a forged request still runs, with an empty session.
            yield Hit.at("rb.pattern.csrf", node,
                         "`protect_from_forgery` without `with:` uses :null_session: a forged request still runs the "
                         "action (without the session); use `with: :exception`", severity=Severity.LOW)


def _passwordy(src: SourceFile, node: Node, args: list[Node]) -> bool:
    if any(PASSWORDY.search(text(src, a)) for a in args):
        return True
    n = node.parent
    while n is not None and n.type not in ("method", "singleton_method", "class", "program"):
        if n.type == "assignment" and PASSWORDY.search(text(src, n.child_by_field_name("left"))):
            return True
        n = n.parent
    if n is not None and n.type in ("method", "singleton_method"):
        return bool(PASSWORDY.search(text(src, n.child_by_field_name("name"))))
    return False


def _idor(src: SourceFile, cls: Node) -> Iterator[Hit]:
    """Record lookups by a request id with no ownership scope or policy check anywhere
    the action could apply one (the class for before_action/Pundit, the method itself)."""
    name = class_name(src, cls)
    if "Admin" in name or "/admin/" in f"/{src.path}":
        return
    body = cls.child_by_field_name("body")
    if body is None:
        return
    if any(w in text(src, body) for w in CLASS_AUTHZ):
        return
    for m in walk(body, frozenset({"class", "module", "ERROR"})):
        if m.type != "method":
            continue
        mtext = text(src, m)
        if any(w in mtext for w in METHOD_AUTHZ):
            continue
        for c in walk(m, frozenset({"ERROR"})):
            if c.type != "call":
                continue
            method, receiver, args = call_parts(src, c)
            recv = c.child_by_field_name("receiver")
            if method not in FIND_METHODS or recv is None or recv.type not in ("constant", "scope_resolution"):
                continue
            if _by_request_id(src, method, args):
                yield Hit.at("rb.pattern.idor", c,
                             f"`{receiver}.{method}` loads a record by a request id with no ownership or policy check: "
                             "scope it (`current_user.things.find`) or `authorize` it")
                break


def _by_request_id(src: SourceFile, method: str, args: list[Node]) -> bool:
    if method in ("find", "find_by_id", "find_by_id!", "destroy", "delete"):
        return bool(args) and "params" in text(src, args[0])
    value = keyword_value(src, args, "id")
    return value is not None and "params" in text(src, value)


def _login_rate_limit(src: SourceFile, cls: Node) -> Iterator[Hit]:
    if src.has("rack-attack"):
        return
    name = text(src, cls.child_by_field_name("name"))
    if not LOGIN_CLASS.search(name):
        return
    body = cls.child_by_field_name("body")
    if body is None or any(w in text(src, body) for w in RATE_LIMIT_WORDS):
        return
    for m in body.named_children:
        if m.type == "method" and text(src, m.child_by_field_name("name")) in ("create", "login", "sign_in", "authenticate"):
            if LOGIN_BODY.search(text(src, m.child_by_field_name("body"))):
                yield Hit.at("rb.pattern.login-rate-limit", m.child_by_field_name("name") or m,
                             "Login action has no throttle: add `rate_limit to: 10, within: 3.minutes, only: :create` "
                             "(Rails 7.2+) or a Rack::Attack throttle")


CHECKS = [RailsPatternCheck()]
