"""Go pattern checks that need no taint, in one walk per file: CORS with credentials for
any origin, TLS verification off, JWT parsing without an algorithm check, math/rand for
secrets, fast hashes for passwords, gin debug mode, text/template for HTML, handlers
that load records by a request id with no ownership condition, and login routes with
no rate limiter."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from tree_sitter import Node

from auditor.scan.checks.go.gosyntax import (
    FUNCTIONS,
    arguments,
    callee,
    enclosing_function,
    func_name,
    is_handler,
)
from auditor.scan.interface import Check, Hit, SourceFile
from auditor.scan.treeutil import text, walk

CORS_TYPES = re.compile(r"\b(?:cors\.(?:Config|Options)|middleware\.CORSConfig|handlers\.CORSOption)\b")
ANY_ORIGIN = re.compile(r"AllowAllOrigins:\s*true|Allow(?:ed)?Origins:\s*\[\]string\{\s*\"\*\"\s*\}|"
                        r"AllowOriginFunc:\s*func\([^)]*\)\s*bool\s*\{\s*return\s+true\s*\}")
CREDENTIALS = re.compile(r"AllowCredentials:\s*true")
# Names crypto/rand also has: only math/rand when the file imports it.
CRYPTO_RAND = frozenset({"Read", "Int", "Prime", "Text", "Reader"})
JWT_PARSE = frozenset({"Parse", "ParseWithClaims"})
JWT_CHECKED = re.compile(r"WithValidMethods|\.Method\.\(|\.Method\.Alg\(\)|\.Method\s*!=|SigningMethodHMAC\)|"
                         r"\.Header\[\"alg\"\]")
SECRETISH = re.compile(r"token|secret|passw|nonce|otp|session|api_?key|salt|reset|csrf|verif", re.I)
PASSWORDY = re.compile(r"pass(?:word|wd|phrase)?|pwd", re.I)
HASH_CALL = re.compile(r"^(?:md5|sha1|sha256|sha512)\.(?:Sum|Sum256|Sum224|Sum512|Sum384|New|New224|New384)$")
ID_SOURCE = re.compile(r"(?:Param|PathValue|QueryParam|Query|DefaultQuery|URLParam|Params)\(\s*\"(?:\w*[iI][dD]|uuid|key)\"|"
                       r"(?:mux\.Vars\(\w+\)|vars)\[\"(?:\w*[iI][dD]|uuid)\"\]")
OWNERSHIP = re.compile(r"user_?id|UserID|userID|owner_?id|OwnerID|ownerID|author_?id|AuthorID|tenant_?id|TenantID|"
                       r"org_?id|OrgID|account_?id|AccountID|[Aa]uthoriz|Enforce\(|CanAccess|[Ii]sAdmin|RequireAdmin|"
                       r"[Pp]ermission|currentUser|CurrentUser|claims\.Sub|\.Can\(")
LOOKUP = re.compile(r"^(?:First|Find|Take|Last|Delete|Updates|Update|QueryRow|QueryRowContext|Query|QueryContext|"
                    r"Exec|ExecContext|Get|Get\w+|Find\w+|Fetch\w+|Load\w+|Delete\w+|Remove\w+|Update\w+)$")
LOGIN_ROUTE = re.compile(r"\b(?:POST|Post|HandleFunc|Handle|Any|Add)\(\s*\"(?:POST\s+)?[^\"]*"
                         r"(?:login|signin|sign-in|sign_in|authenticate|/token|session)[^\"]*\"", re.I)
LIMITER_WORDS = re.compile(r"rate\.NewLimiter|[Ll]imiter|tollbooth|httprate|[Rr]ateLimit|ratelimit|[Tt]hrottle|\bLimit\w*\(")
PREFILTER = ("cors", "InsecureSkipVerify", "jwt", "rand.", "md5", "sha1", "sha256", "sha512", "SetMode",
             "text/template", "Param", "PathValue", "Vars", "Query", "login", "Login", "signin", "Debug")


class GoPatternCheck(Check):
    languages = frozenset({"go"})
    detectors = ("go.pattern.cors", "go.pattern.tls-skip-verify", "go.pattern.jwt-alg", "go.pattern.weak-random",
                 "go.pattern.password-hash", "go.pattern.debug-mode", "go.pattern.text-template",
                 "go.pattern.idor", "go.pattern.login-rate-limit")

    def run(self, src: SourceFile) -> Iterable[Hit]:
        t = src.text
        if not any(w in t for w in PREFILTER):
            return []
        tree = src.tree
        if tree is None:
            return []
        hits: list[Hit] = []
        math_rand = '"math/rand"' in t or '"math/rand/v2"' in t
        jwt_checked = bool(JWT_CHECKED.search(t))
        for n in walk(tree.root_node, frozenset({"ERROR"})):
            typ = n.type
            if typ == "composite_literal":
                lit = text(src, n)
                if CORS_TYPES.search(text(src, n.child_by_field_name("type"))) and ANY_ORIGIN.search(lit) \
                        and CREDENTIALS.search(lit):
                    hits.append(Hit.at("go.pattern.cors", n, "CORS allows every origin with credentials: list trusted origins"))
            elif typ == "keyed_element" and re.match(r"InsecureSkipVerify\s*:\s*true\b", text(src, n)):
                hits.append(Hit.at("go.pattern.tls-skip-verify", n,
                                   "TLS certificate verification is off: remove InsecureSkipVerify, add the CA to RootCAs"))
            elif typ == "import_spec" and text(src, n.child_by_field_name("path")) == '"text/template"' \
                    and re.search(r'"net/http"|gin-gonic|labstack/echo', t):
                hits.append(Hit.at("go.pattern.text-template", n,
                                   "text/template does not escape HTML: use html/template for web pages"))
            elif typ == "call_expression":
                hits.extend(self._call(src, n, math_rand, jwt_checked))
            elif typ == "assignment_statement" and re.match(r"\w+\.Debug\s*=\s*true", text(src, n)) and "echo" in t:
                hits.append(Hit.at("go.pattern.debug-mode", n, "Echo debug mode exposes internal errors: keep it off in production"))
            elif typ in FUNCTIONS and is_handler(src, n):
                hits.extend(_idor(src, n))
        hits.extend(login_routes_without_limiter(src, src.has("go-rate")))
        return hits

    def _call(self, src: SourceFile, node: Node, math_rand: bool, jwt_checked: bool) -> Iterator[Hit]:
        recv, name = callee(src, node)
        if recv in ("jwt", "jwt.NewParser()") and name in JWT_PARSE and not jwt_checked:
            yield Hit.at("go.pattern.jwt-alg", node,
                         "JWT parsed without pinning the algorithm: pass jwt.WithValidMethods([]string{\"HS256\"})")
        elif recv == "jwt" and name == "ParseUnverified":
            yield Hit.at("go.pattern.jwt-alg", node, "jwt.ParseUnverified skips the signature check")
        elif recv == "rand" and (name not in CRYPTO_RAND or math_rand) and _secretish_context(src, node):
            yield Hit.at("go.pattern.weak-random", node,
                         "math/rand is predictable: generate tokens with crypto/rand (rand.Read, rand.Text)")
        elif HASH_CALL.match(f"{recv}.{name}") and _passwordy(src, node):
            yield Hit.at("go.pattern.password-hash", node,
                         "Fast hash used for passwords: use bcrypt.GenerateFromPassword or argon2.IDKey")
        elif recv == "gin" and name == "SetMode" and "DebugMode" in text(src, node):
            yield Hit.at("go.pattern.debug-mode", node, "gin debug mode in the server: use gin.ReleaseMode in production")


def _secretish_context(src: SourceFile, node: Node) -> bool:
    fn = enclosing_function(node)
    if fn is not None and SECRETISH.search(func_name(src, fn)):
        return True
    n = node.parent
    while n is not None and n.type not in FUNCTIONS:
        if n.type in ("short_var_declaration", "assignment_statement", "var_spec", "keyed_element"):
            left = n.child_by_field_name("left") or n.child_by_field_name("name") or (n.named_children[0] if n.named_children else None)
            if left is not None and SECRETISH.search(text(src, left)):
                return True
        n = n.parent
    return False


def _passwordy(src: SourceFile, node: Node) -> bool:
    if PASSWORDY.search(text(src, node)):
        return True
    fn = enclosing_function(node)
    return fn is not None and bool(PASSWORDY.search(func_name(src, fn)))


def _idor(src: SourceFile, fn: Node) -> Iterator[Hit]:
    """A handler that looks a record up by an id from the request with no mention of the
    owner, tenant or a permission check anywhere in the handler."""
    body = fn.child_by_field_name("body")
    if body is None:
        return
    body_text = text(src, body)
    if not ID_SOURCE.search(body_text) or OWNERSHIP.search(body_text):
        return
    id_vars: set[str] = set()
    for n in walk(body, FUNCTIONS | {"ERROR"}):
        if n.type in ("short_var_declaration", "assignment_statement"):
            right = text(src, n.child_by_field_name("right"))
            if ID_SOURCE.search(right) or any(re.search(rf"\b{re.escape(v)}\b", right) for v in id_vars):
                left = n.child_by_field_name("left")
                if left is not None and left.named_children:
                    id_vars.add(text(src, left.named_children[0]))
        elif n.type == "call_expression":
            recv, name = callee(src, n)
            if not LOOKUP.match(name) or recv in ("c", "ctx", "r", "strconv", "os", "http", "json", "w", "vars"):
                continue
            args_text = " ".join(text(src, a) for a in arguments(n))
            if ID_SOURCE.search(args_text) or any(re.search(rf"\b{re.escape(v)}\b", args_text) for v in id_vars):
                yield Hit.at("go.pattern.idor", n,
                             "Record loaded by a request id with no owner check: add `user_id = ?` with the "
                             "authenticated user, or check permission before returning it")
                return


def login_routes_without_limiter(src: SourceFile, stack_has_limiter: bool) -> list[Hit]:
    """Login routes in `src` when neither the file nor the stack has a rate limiter."""
    t = src.text
    if stack_has_limiter or LIMITER_WORDS.search(t):
        return []
    return [Hit("go.pattern.login-rate-limit", t.count("\n", 0, m.start()) + 1, 1, 0,
                "Login route has no rate limiter: wrap it with golang.org/x/time/rate or httprate middleware")
            for m in LOGIN_ROUTE.finditer(t)]


CHECKS = [GoPatternCheck()]
