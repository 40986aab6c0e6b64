"""Password rules and password changes, read from the code that declares or performs them.

- `js.pattern.password-min-length` (weak-authentication, CWE-521): a password field whose
  declared minimum is under 8 characters: class-validator `@MinLength(6)` / `@Length(4, 64)`
  on a `password`/`newPassword` property, or `password: z.string().min(6)` (zod, Joi, yup).
  NIST SP 800-63B asks for at least 8; the check of a current or old password is not judged.
- `js.pattern.password-change-proof` (weak-authentication, CWE-620/CWE-640): a route handler
  that sets a password (`resetPassword(email, pw)`, `changePassword(id, body.newPassword)`)
  while nothing in it asks for proof: no current password, no reset token or code, no
  comparison. Whoever can call the route takes over the account. Handlers restricted to
  admins (`@Roles`, an admin guard) are not judged.
- `js.pattern.password-no-minimum` (weak-authentication, CWE-521): a password length check
  the app wrote (`validatePasswordLength(password)`, `checkPassword(pw)`) that compares the
  password's length only with large numbers (a maximum, `> 64`): an empty or one-character
  password passes. Functions that compare nothing are not judged.
- `js.pattern.password-no-policy` (weak-authentication, CWE-521, low): a registration route
  (`router.post('/register' | '/signup' | '/users', ...)`) that takes `password` from the request
  body and hashes or stores it with no length rule anywhere on the way: none in the handler
  (`password.length < 8`, a validator or schema call), none among the route's middleware
  (express-validator's `body('password').isLength(...)`). A rule that runs only while a
  configuration switch holds (`if (process.env.STRICT !== 'false') { ... }`) is no rule when it
  is off. Handlers taking a typed DTO (Nest) are left to the DTO's decorators.
- `js.pattern.password-truncated` (weak-authentication, CWE-521): a password cut to fewer than
  64 characters (`password.substring(0, 20)`, `.slice(0, 16)`) before it is stored or hashed:
  every password sharing the first characters logs in, and long passphrases lose their
  strength. (bcrypt's own 72-byte limit is not this: cuts of 64 or more are not reported.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from auditor.findings import Severity
from auditor.scan.checks.javascript.syntax import (
    JS_LANGUAGES,
    args_of,
    callee_parts,
    enclosing_function,
    index,
    method_decorators,
    params_of,
    text,
    unwrap,
    without_strings,
)
from auditor.scan.interface import Check, Hit, SourceFile
from auditor.scan.treeutil import find_all

MIN_LENGTH = "js.pattern.password-min-length"
CHANGE = "js.pattern.password-change-proof"
NO_MINIMUM = "js.pattern.password-no-minimum"
TRUNCATED = "js.pattern.password-truncated"
IGNORED = "js.pattern.login-ignores-password"
NO_POLICY = "js.pattern.password-no-policy"
_REGISTER_PATH = re.compile(r"['\"`][^'\"`]*(?:register|sign-?up|create-?account|/users/?)['\"`]", re.I)
# `const { username, password } = req.body` (a TS annotation allowed), `req.body.password`
_BODY_PASSWORD = re.compile(r"\{[^}]*\b(?:password\s*:\s*(?P<name>[\w$]+)|password)\b[^}]*\}\s*(?::\s*(?:\{[^{}]*\}|[\w$<>\[\]]+)\s*)?=\s*"
                            r"(?:req|request)\.body\b|(?:req|request)\.body\.password\b")
_POLICY = re.compile(r"\.length\s*(?:<|>|===?|!==?)|(?:<|>)=?\s*[\w$.]+\.length\b|isLength|isStrongPassword|zxcvbn|validat\w*\s*\(|\.min\(|minLength|"
                     r"MIN_\w*LENGTH|\w*(?:policy|strength|passwordRules)\w*\s*\(|\.parse\(|\.safeParse\(", re.I)
_KEEPS = re.compile(r"(?i)hash|bcrypt|argon|scrypt|pbkdf|crypt|digest|update|create|save|insert|query|execute|register")
_SWITCH_COND = re.compile(r"process\s*\.\s*env\b|\b(?:config|settings|flags|features|options)\s*\.|\b[A-Z][A-Z0-9_]*_MODE\b")
_NIST_MIN = 8
_ASVS_MAX_FLOOR = 64  # ASVS 2.1.2: at least 64 characters must be allowed
# A bound this large is a maximum, whatever the operator; smaller ones are a minimum.
_MAXIMUM_FLOOR = 32
_PASSWORD_NAME = re.compile(r"(?i)^\w*(?:password|passwd|pwd|passphrase)$")
_LENGTH_CHECKER = re.compile(r"(?i)pass(?:word|wd)?|pwd")
_LENGTH_CHECKER_VERB = re.compile(r"(?i)length|valid|check|policy|strength|rules?|require")
_LENGTH_COMPARE = re.compile(r"([\w$.]+)\.length\s*(?:>=|<=|>|<|===|==|!==|!=)\s*(\d+)|(\d+)\s*(?:>=|<=|>|<)\s*([\w$.]+)\.length")
_CUT = frozenset({"substring", "slice", "substr"})

_PASSWORD_FIELD = re.compile(r"(?i)^(?:new_?)?(?:password|passwd|pwd|passphrase)$")
_DECORATED = re.compile(
    r"@(?:MinLength|Length)\(\s*(\d+)[^)]*\)((?:\s*@\w+\((?:[^()]|\([^()]*\))*\))*)\s*(?:public\s+|readonly\s+)*([\w$]+)\s*[?!]?\s*:")
_SCHEMA = re.compile(r"\b([\w$]+)\s*:\s*(?:z|Joi|yup|joi)\s*\.\s*string\(\s*\)[^,\n;]*?\.min\(\s*(\d+)")
_SETS_PASSWORD = re.compile(r"(?i)^(?:reset|change|set|update|force)_?(?:user_?)?password$")
_PROOF = re.compile(r"(?i)(?:current|old|existing|previous)_?pass|token|\bcode\b|otp|nonce|compare|verify|"
                    r"timingSafeEqual|argon2|bcrypt")
_ADMIN_ONLY = re.compile(r"@(?:Roles|Role|Admin\w*)\(|AdminGuard|RolesGuard")
_ROUTE = re.compile(r"@(?:Get|Post|Put|Patch|Delete|All)\(")


class PasswordFlowCheck(Check):
    languages = JS_LANGUAGES
    detectors = (MIN_LENGTH, CHANGE, NO_MINIMUM, TRUNCATED, IGNORED, NO_POLICY)

    def run(self, src: SourceFile) -> Iterable[Hit]:
        body = src.text
        if not re.search(r"(?i)pass|pwd", body):
            return []
        hits = list(self._min_lengths(src))
        if ".length" in body or any(f".{c}(" in body for c in _CUT):
            hits += self._length_rules(src)
        if re.search(r"(?i)(?:reset|change|set|update|force)_?(?:user_?)?password\s*\(", body):
            hits += self._changes(src)
        if _LOGIN_PATH.search(body):
            hits += self._ignored_passwords(src)
        if _REGISTER_PATH.search(body):
            hits += self._no_policy(src)
        return hits

    @staticmethod
    def _no_policy(src: SourceFile) -> list[Hit]:
        """Registration routes that hash or store the body's password with no length rule."""
        idx = index(src)
        if idx is None:
            return []
        hits: list[Hit] = []
        for call in idx.get("call"):
            parts = callee_parts(src, call)
            args = args_of(call)
            if len(parts) != 2 or parts[1] not in ("post", "put") or len(args) < 2:
                continue
            fn = args[-1]
            if not _REGISTER_PATH.fullmatch(text(src, args[0]).strip()) \
                    or fn.type not in ("arrow_function", "function_expression", "function") or not _is_handler(src, fn):
                continue
            middleware = " ".join(text(src, a) for a in args[1:-1])
            body_node = fn.child_by_field_name("body")
            body = _strip_comments(text(src, body_node))
            read = _BODY_PASSWORD.search(body)
            if body_node is None or read is None or _POLICY.search(middleware):
                continue
            name = read.group("name") or ("password" if read.group(0).startswith("{") else "req.body.password")
            code = _blank_comments(text(src, body_node))
            if any(not _under_switch(src, body_node, fn, m.start()) for m in _POLICY.finditer(code)
                   if _policy_about(code, m.start(), name)):
                continue
            kept = _first_call_with(src, fn, name)
            if kept is not None:
                hits.append(Hit.at(NO_POLICY, kept, f"The registration at {text(src, args[0])} keeps `{name}` with no length "
                                   "rule: a one-character password is accepted. Require at least 8 characters (and check "
                                   "against breached passwords) before hashing it.", severity=Severity.LOW))
        return hits

    @staticmethod
    def _ignored_passwords(src: SourceFile) -> list[Hit]:
        """`router.post('/auth/login', (req, res) => { const { username, password } = req.body; ...
        jwt.sign(...) })` where `password` is read from the request and never used again: the
        login signs in whoever names an account."""
        idx = index(src)
        if idx is None:
            return []
        hits: list[Hit] = []
        for call in idx.get("call"):
            parts = callee_parts(src, call)
            args = args_of(call)
            if len(parts) != 2 or parts[1] not in ("post", "put", "all") or len(args) < 2:
                continue
            path = text(src, args[0])
            fn = args[-1]
            if not _LOGIN_PATH.search(path) or fn.type not in ("arrow_function", "function_expression", "function") \
                    or not _is_handler(src, fn):
                continue
            body = _strip_comments(text(src, fn.child_by_field_name("body")))
            read = _READS_PASSWORD.search(body)
            if read is None or not _ISSUES_LOGIN.search(body):
                continue
            name = read.group("name") or "password"
            uses = [m.start() for m in re.finditer(rf"(?<![\w$.]){re.escape(name)}\b", body)]
            if len(uses) == 1 and not re.search(rf"\.{re.escape(name)}\b", body[read.end():]):
                hits.append(Hit.at(IGNORED, call, f"The login at {path} reads `{name}` from the request and never compares "
                                   "it: it signs in anyone who names an account. Compare it with the stored hash "
                                   "(bcrypt.compare) before issuing the session or token."))
        return hits

    @staticmethod
    def _min_lengths(src: SourceFile) -> Iterable[Hit]:
        text_ = src.text
        for m in _DECORATED.finditer(text_):
            if 1 < int(m.group(1)) < _NIST_MIN and _PASSWORD_FIELD.match(m.group(3)) and not _checks_a_login(text_, m.start()):
                line = text_.count("\n", 0, m.start()) + 1
                yield Hit(MIN_LENGTH, line, message=f"`{m.group(3)}` accepts passwords of {m.group(1)} characters: "
                          f"require at least {_NIST_MIN} (longer is better) and check them against breached passwords.")
        for m in _SCHEMA.finditer(text_):
            if 1 < int(m.group(2)) < _NIST_MIN and _PASSWORD_FIELD.match(m.group(1)) and not _checks_a_login(text_, m.start()):
                line = text_.count("\n", 0, m.start()) + 1
                yield Hit(MIN_LENGTH, line, message=f"`{m.group(1)}` accepts passwords of {m.group(2)} characters: "
                          f"require at least {_NIST_MIN}.")

    @staticmethod
    def _length_rules(src: SourceFile) -> list[Hit]:
        idx = index(src)
        if idx is None:
            return []
        hits: list[Hit] = []
        for fn in idx.get("func"):
            name_node = fn.child_by_field_name("name")
            name = text(src, name_node)
            if not (_LENGTH_CHECKER.search(name) and _LENGTH_CHECKER_VERB.search(name)):
                continue
            bounds = [int(m.group(2) or m.group(3)) for m in _LENGTH_COMPARE.finditer(text(src, fn.child_by_field_name("body")))
                      if _PASSWORD_NAME.match((m.group(1) or m.group(4)).split(".")[-1])]
            if bounds and min(bounds) >= _MAXIMUM_FLOOR:
                hits.append(Hit.at(NO_MINIMUM, name_node or fn, f"{name}() only caps the password's length "
                                   f"({min(bounds)}): an empty or one-character password passes. Require at least "
                                   f"{_NIST_MIN} characters."))
        for call in idx.get("call"):
            parts = callee_parts(src, call)
            args = args_of(call)
            if len(parts) < 2 or parts[-1] not in _CUT or not _PASSWORD_NAME.match(parts[-2]) or len(args) != 2:
                continue
            start, end = (text(src, a) for a in args)
            if start == "0" and end.isdigit() and int(end) < _ASVS_MAX_FLOOR:
                hits.append(Hit.at(TRUNCATED, call, f"The password is cut to {end} characters: every password sharing "
                                   f"those characters is accepted. Keep the whole password (allow at least "
                                   f"{_ASVS_MAX_FLOOR}) and hash it as it is."))
        return hits

    @staticmethod
    def _changes(src: SourceFile) -> list[Hit]:
        idx = index(src)
        if idx is None:
            return []
        hits: list[Hit] = []
        for call in idx.get("call"):
            parts = callee_parts(src, call)
            if not parts or not _SETS_PASSWORD.match(parts[-1]):
                continue
            fn = enclosing_function(call)
            if fn is None or not _is_handler(src, fn):
                continue
            decorators = method_decorators(src, fn)
            body = text(src, fn.child_by_field_name("body"))
            # the body, not the parameters: a `currentPassword?` field declared and never read is no proof
            if _ADMIN_ONLY.search(decorators) or _PROOF.search(body) or _new_account(src, fn, parts, body):
                continue
            hits.append(Hit.at(CHANGE, call, f"{parts[-1]}() sets a password in a route that asks for no proof: no "
                               "current password, no reset token. Require the current password to change it, and a "
                               "single-use, expiring token (sent by mail) to reset it."))
        return hits


_LOGIN_PATH = re.compile(r"['\"`][^'\"`]*(?:log-?in|sign-?in)[^'\"`]*['\"`]", re.I)
# `const { username, password } = req.body`: the password read once (its name), or `req.body.password`
_READS_PASSWORD = re.compile(r"\{[^}]*\b(?:password\s*:\s*(?P<name>[\w$]+)|password)\b[^}]*\}\s*=\s*(?:req|request)\.body\b|"
                             r"(?:req|request)\.body\.password\b")
_ISSUES_LOGIN = re.compile(r"\.sign\(|\bsession\.\w+\s*=|\bsession\s*=|\.cookie\(|\breq\.login\(|\blogIn\(")


def _blank_comments(code: str) -> str:
    """`code` with its comments and the text of its quoted literals blanked out, offsets kept."""
    return re.sub(r"//[^\n]*|/\*.*?\*/|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"",
                  lambda m: re.sub(r"[^\n]", " ", m.group(0)), code, flags=re.S)


def _policy_about(body: str, at: int, name: str) -> bool:
    """The rule found at `at` is about the password: its line names it (`password.length < 8`,
    `validatePassword(password)`, `schema.parse(req.body)`)."""
    start = body.rfind("\n", 0, at) + 1
    end = body.find("\n", at)
    line = body[start:end if end != -1 else len(body)]
    short = name.rsplit(".", 1)[-1]
    return bool(re.search(rf"\b{re.escape(short)}\b|req\.body|request\.body|\bbody\b|\bdto\b", line))


def _under_switch(src: SourceFile, body: Node, fn: Node, offset: int) -> bool:
    """The code at `offset` (in `body`'s text) runs only while a configuration switch holds: an
    enclosing `if` (inside `fn`) whose condition reads the environment or a config flag."""
    node = body.descendant_for_byte_range(body.start_byte + offset, body.start_byte + offset)
    while node is not None and node != fn:
        if node.type == "if_statement":
            cond = node.child_by_field_name("condition")
            if cond is not None and _SWITCH_COND.search(text(src, cond)):
                return True
        node = node.parent
    return False


def _first_call_with(src: SourceFile, fn: Node, name: str) -> Node | None:
    """The first call in `fn` that hashes or stores `name` (passes it as an argument)."""
    for call in find_all(src.language or "javascript", fn.child_by_field_name("body"), ("call_expression",)):
        callee = text(src, call.child_by_field_name("function"))
        if not _KEEPS.search(callee):
            continue
        if any(text(src, a) == name or re.search(rf"(?<![\w$.]){re.escape(name)}(?![\w$])", text(src, a)) and
               unwrap(a) is not None and unwrap(a).type in ("identifier", "member_expression", "array", "object")
               for a in args_of(call)):
            return call
    return None


def _strip_comments(code: str) -> str:
    """The code without comments and without the text of plain string literals."""
    return re.sub(r"//[^\n]*|/\*.*?\*/", "", without_strings(code), flags=re.S)


# A schema or DTO that checks a login's input: its password rule says "required", not a policy.
_DECLARED = re.compile(r"(?:const|let|var|class|interface|type)\s+([\w$]+)")
_LOGIN_NAME = re.compile(r"(?i)log_?in|sign_?in|credential|session|auth(?!or)")
_SIGNUP_ROUTE = re.compile(r"(?i)regist|sign_?-?up|join|create|onboard")


def _checks_a_login(text_: str, at: int) -> bool:
    declared = list(_DECLARED.finditer(text_, max(0, at - 600), at))
    return bool(declared) and bool(_LOGIN_NAME.search(declared[-1].group(1)))


def _new_account(src: SourceFile, fn, parts: list[str], body: str) -> bool:  # noqa: ANN001 - a tree-sitter node
    """The password is set on an account the handler creates (sign-up): nothing to prove yet."""
    receiver = parts[-2] if len(parts) > 1 else ""
    if receiver and re.search(rf"\b{re.escape(receiver)}\s*=\s*(?:await\s+)?(?:new\s+[\w$.]+\s*\(|[\w$.]+\."
                              r"(?:create|build|insert)\w*\s*\()", body):
        return True
    route = method_decorators(src, fn)
    call = fn.parent.parent if fn.parent is not None and fn.parent.type == "arguments" else None
    if call is not None and call.type == "call_expression":
        args = call.child_by_field_name("arguments")
        route += text(src, args.named_children[0]) if args is not None and args.named_children else ""
    return bool(_SIGNUP_ROUTE.search(route))


def _is_handler(src: SourceFile, fn) -> bool:  # noqa: ANN001 - a tree-sitter function node
    """A Nest route method, or an Express-style handler taking the request and response."""
    if _ROUTE.search(method_decorators(src, fn)):
        return True
    names = [text(src, p).split(":")[0].strip() for p in params_of(fn)[:2]]
    return len(names) == 2 and names[0] in ("req", "request") and names[1] in ("res", "response", "reply")


CHECKS = [PasswordFlowCheck()]
