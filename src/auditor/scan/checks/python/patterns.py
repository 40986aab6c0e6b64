"""Single-call patterns that need no taint: the call itself is the flaw (or nearly).

One pass over the file's calls (collected once in facts), dispatching on the resolved
callee name; cheap text prefilters skip the families a file cannot contain.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from auditor.findings import Severity
from auditor.scan.checks.python.facts import (
    PyFacts,
    arguments,
    callee,
    collect,
    enclosing,
    is_literal,
    string_value,
    text,
)
from auditor.scan.checks.python.frameworks import framework_of, pin_exact
from auditor.scan.checks.python.taint import proven_literal
from auditor.scan.interface import Check, Hit, SourceFile
from auditor.scan.redos import catastrophic

_PASSWORD = re.compile(r"passw|passwd|\bpwd\b|pass_?phrase|\bpw\b", re.I)
_SECRETISH = re.compile(r"token|secret|passw|otp|nonce|salt|api_?key|session|csrf|reset|verif|activation|invite|"
                        r"magic|one_time|2fa|mfa|pin_?code|auth_?code|confirmation|signup_code|cookie|remember|"
                        r"sess_?id|\buid\b", re.I)
_AUTHZ_ASSERT = re.compile(r"is_authenticated|is_admin|is_staff|is_superuser|has_perm|owner|\buser\b|\.user\b|role|"
                           r"permission|authori[sz]ed|current_user|is_active|logged_in", re.I)
# Values that are hashed for lookup, not for password storage (a reset token's digest).
_TOKENISH = re.compile(r"token|reset|otp|nonce|api_?key|session|csrf|signature|checksum|etag|fingerprint", re.I)
_HASH_CALL = re.compile(r"hash|make_password|bcrypt|argon|scrypt|pbkdf2|crypt|encrypt|set_password|PasswordHasher", re.I)
_TEST_PATH = re.compile(r"(?:^|/)(?:tests?|testing)/|(?:^|/)test_[^/]*\.py$|_tests?\.py$|(?:^|/)conftest\.py$")
_USER_MODEL = re.compile(r"^(?:\w+\.)?(?:User|AppUser|Account|Member|Customer|Admin|Person|Employee|\w*User)$")

_FAST_HASHES = frozenset({"hashlib.md5", "hashlib.sha1", "hashlib.sha224", "hashlib.sha256", "hashlib.sha384",
                          "hashlib.sha512", "hashlib.sha3_256", "hashlib.sha3_512", "hashlib.blake2b", "hashlib.blake2s",
                          "hashlib.new", "md5", "Crypto.Hash.MD5.new", "Crypto.Hash.SHA256.new", "crypt.crypt"})
# The random module's distributions draw from the same predictable Mersenne Twister state.
_RANDOM = frozenset({"random.random", "random.randint", "random.choice", "random.choices", "random.randrange",
                     "random.getrandbits", "random.sample", "random.shuffle", "random.uniform", "random.randbytes",
                     "random.normalvariate", "random.gauss", "random.triangular", "random.betavariate",
                     "random.expovariate", "random.gammavariate", "random.lognormvariate", "random.vonmisesvariate",
                     "random.paretovariate", "random.weibullvariate", "random.binomialvariate",
                     "numpy.random.randint", "numpy.random.choice", "numpy.random.random", "numpy.random.rand",
                     "numpy.random.bytes", "numpy.random.normal"})
_WEAK_HASH_SUFFIXES = ("hashes.MD5", "hashes.SHA1", "Hash.MD5.new", "Hash.SHA1.new", "Hash.SHA.new", "Hash.MD4.new",
                       "Hash.MD2.new")
_WEAK_CIPHERS = ("Cipher.DES.new", "Cipher.DES3.new", "Cipher.ARC4.new", "Cipher.ARC2.new", "Cipher.Blowfish.new",
                 "Cipher.CAST.new", "algorithms.TripleDES", "algorithms.Blowfish", "algorithms.ARC4",
                 "algorithms.IDEA", "algorithms.CAST5", "algorithms.SEED", "pyDes.des", "pyDes.triple_des",
                 "decrepit.ciphers.algorithms.TripleDES")
# A digest whose use is security-relevant (integrity, signatures, tokens).
_SECURITY_PURPOSE = re.compile(r"token|secret|sign|verif|integrity|checksum|auth|session|cookie|nonce|otp|password|"
                               r"key\b|hmac|certificate|fingerprint", re.I)
# Names of ids and boundaries others must not guess (reported low: often only a UI id).
_ID_CONTEXT = re.compile(r"\b\w*_id\s*=|\bid\s*=|\buuid\b|\bguid\b|boundary|def (?:generate|make|new)_?\w*id\b", re.I)
_RE_FUNCS = frozenset({f"re.{f}" for f in ("compile", "match", "search", "fullmatch", "sub", "subn", "split",
                                              "findall", "finditer")})
_SAFE_LOADERS = ("SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader")
_MARK_SAFE = frozenset({"django.utils.safestring.mark_safe", "django.utils.safestring.SafeString",
                        "markupsafe.Markup", "flask.Markup", "jinja2.Markup", "jinja2.utils.Markup"})
_ESCAPING_CALLS = re.compile(r"^(?:\w+\.)*(?:escape|conditional_escape|format_html|format_html_join|render_to_string|"
                             r"render_template|json_script|clean|linebreaks|urlize|escapejs|mark_safe|Markup|"
                             r"strip_tags|sanitize\w*|bleach\.\w+|nh3\.\w+)$")
# {"verify_signature": False}, dict(verify_signature=False), opts["verify_signature"] = False
_NO_VERIFY = re.compile(r"""verify_signature['"]?\s*\]?\s*[:=]\s*False""")
_HTTP_CALLERS = re.compile(r"^(?:requests|httpx|aiohttp|urllib3)\.")
_HTTP_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request", "stream", "send",
                           "Client", "AsyncClient", "Session", "ClientSession", "TCPConnector"})


def _constant_text(node: Node | None, call: Node, facts: PyFacts) -> str:
    """The text of an argument, or for a bare name the text of what it was assigned before
    the call in the same function or at module level (`opts = {...}`, `opts["k"] = v`):
    options and algorithm lists are often kept in a variable."""
    if node is None:
        return ""
    if node.type != "identifier":
        return text(node)
    name = text(node)
    scope = enclosing(call, "function_definition")
    values: list[str] = []
    for assign, where in facts.assignments:
        if assign.start_byte >= call.start_byte:
            break
        left = assign.child_by_field_name("left")
        if left is None:
            continue
        target = left.child_by_field_name("value") if left.type == "subscript" else left
        if target is None or target.type != "identifier" or text(target) != name:
            continue
        if where != "module" and enclosing(assign, "function_definition") != scope:
            continue
        if left.type == "identifier":
            values.clear()  # a rebinding replaces what came before
        values.append(text(assign.child_by_field_name("right")) if left.type == "identifier" else text(assign))
    return " ".join(values) if values else name


def _kw_true(kws: dict[str, Node], name: str) -> bool:
    return text(kws.get(name)) == "True"


def _kw_false(kws: dict[str, Node], name: str) -> bool:
    return name in kws and text(kws[name]) in ("False", "0", "None")


class PyPatternCheck(Check):
    """Weak password hashing, predictable tokens, mktemp, asserts for authorization, TLS
    verification off, unverified JWTs, unsafe YAML/XML parsers, autoescape off,
    mark_safe/Markup on built strings, passwords stored or compared in plain text."""

    languages = frozenset({"python"})
    detectors = (
        "py.pattern.yaml-load", "py.pattern.xml-parser", "py.pattern.weak-password-hash",
        "py.pattern.insecure-random", "py.pattern.mktemp", "py.pattern.assert-auth", "py.pattern.tls-verify",
        "py.auth.jwt-verify", "py.pattern.jinja-autoescape", "py.pattern.mark-safe", "py.auth.plaintext-password",
        "py.pattern.weak-hash", "py.pattern.weak-cipher", "py.pattern.tar-extract", "py.pattern.redos",
        "py.secrets.default-credentials",
    )

    def run(self, src: SourceFile) -> Iterable[Hit]:
        facts = collect(src)
        if not facts.ok:
            return []
        framework = framework_of(src, facts)
        out: list[Hit] = []
        is_test = bool(_TEST_PATH.search(src.path))

        jwt_rule = pin_exact(src, "jose.decode.algorithms" if facts.imported("jose") else "pyjwt.decode.verify")

        def hit(det: str, node: Node, message: str, severity: Severity | None = None) -> None:
            rule = jwt_rule if det == "py.auth.jwt-verify" else None
            out.append(Hit.at(det, node, message, severity=severity, rule_id=rule, framework=framework))

        for call, q, m in facts.named_calls():
            if not q and not m:
                continue
            self._call(call, q, m, facts, hit, src)
        if not is_test:
            for node in facts.asserts:
                cond = node.named_children[0] if node.named_children else None
                if cond is not None and _AUTHZ_ASSERT.search(text(cond)):
                    hit("py.pattern.assert-auth", node, "assert is removed under python -O: check permissions with an if and deny")
        if "b64decode" in src.text and ".split(" in src.text:
            for fn in facts.functions:
                call = _unverified_token_payload(fn.node, facts)
                if call is not None:
                    hit("py.auth.jwt-verify", call, "the token's payload is decoded by hand and its signature never "
                        "checked: anyone can write the claims; verify it with jwt.decode(token, key, algorithms=[...])")
        if any(w in src.text for w in ("password", "passwd", "pwd", "passcode")):
            self._plaintext(facts, hit, is_test)
        if "check_hostname" in src.text or "CERT_NONE" in src.text:
            for node, _scope in facts.assignments:
                left = text(node.child_by_field_name("left"))
                right = text(node.child_by_field_name("right"))
                if (left.endswith(".check_hostname") and right == "False") or (left.endswith(".verify_mode") and right.endswith("CERT_NONE")):
                    hit("py.pattern.tls-verify", node, "TLS certificate or host name checks turned off")
        return out

    # -- calls -----------------------------------------------------------------------
    def _call(self, call: Node, q: str, m: str, facts: PyFacts, hit, src: SourceFile) -> None:  # noqa: ANN001 - local closure
        pos, kws = arguments(call)
        if q in ("yaml.load", "yaml.load_all"):
            loader = text(kws.get("Loader")) or (text(pos[1]) if len(pos) > 1 else "")
            # YAML the program wrote itself (a literal, however it reaches the call) builds
            # only the objects its author chose.
            if not loader.endswith(_SAFE_LOADERS) and not (pos and proven_literal(src, [call])):
                sev = Severity.MEDIUM if loader.endswith("FullLoader") else None
                hit("py.pattern.yaml-load", call, "yaml.load without SafeLoader can build arbitrary objects: use yaml.safe_load", sev)
        elif q in ("yaml.unsafe_load", "yaml.unsafe_load_all"):
            hit("py.pattern.yaml-load", call, "yaml.unsafe_load builds arbitrary objects: use yaml.safe_load")
        elif q in ("lxml.etree.XMLParser", "lxml.etree.XMLPullParser", "lxml.etree.XSLTAccessControl"):
            if q == "lxml.etree.XSLTAccessControl":
                return
            if _kw_true(kws, "resolve_entities") or _kw_false(kws, "no_network") or (
                    (_kw_true(kws, "load_dtd") or _kw_true(kws, "dtd_validation")) and not _kw_false(kws, "resolve_entities")):
                hit("py.pattern.xml-parser", call, "XML parser resolves entities or loads DTDs/network: external entities (XXE)")
        elif m == "setFeature":
            if pos and "external" in text(pos[0]) and len(pos) > 1 and text(pos[1]) in ("True", "1") \
                    and not _parses_only_literals(src, facts, call):
                hit("py.pattern.xml-parser", call, "SAX parser told to resolve external entities (XXE)")
        elif q in _FAST_HASHES or (q.startswith("hashlib.") and m.startswith(("md5", "sha", "blake"))):
            arg_text = " ".join(text(p) for p in pos[:2])
            if _PASSWORD.search(arg_text) or _password_destination(call):
                hit("py.pattern.weak-password-hash", call,
                    "fast hash used for a password: use argon2-cffi, bcrypt or Django/werkzeug password hashers")
            else:
                self._weak_hash(call, q, pos, kws, hit)
        elif q.endswith(_WEAK_HASH_SUFFIXES):
            self._weak_hash(call, q, pos, kws, hit)
        elif q in _RANDOM:
            context = _use_context(call)
            if _SECRETISH.search(context):
                hit("py.pattern.insecure-random", call, "random is predictable: use secrets.token_urlsafe / secrets.choice for tokens")
            elif _ID_CONTEXT.search(context):
                hit("py.pattern.insecure-random", call, "random ids are predictable: use uuid.uuid4() or secrets.token_hex() "
                    "where an id must not be guessed", Severity.LOW)
        elif q in _RE_FUNCS and pos and (pattern := string_value(pos[0])) is not None and catastrophic(pattern):
            hit("py.pattern.redos", call, "nested unbounded quantifiers backtrack exponentially on a crafted input (ReDoS): "
                "rewrite without the nested + or *", Severity.LOW)
        elif m in ("extractall", "extract") and "filter" not in kws and _is_tarfile(call, facts):
            hit("py.pattern.tar-extract", call,
                "tar members named ../ or absolute paths (and links) escape the target folder: pass filter='data'")
        elif q == "tempfile.mktemp":
            hit("py.pattern.mktemp", call, "tempfile.mktemp races with attackers: use NamedTemporaryFile or mkstemp")
        elif q in ("ssl._create_unverified_context", "ssl._create_stdlib_context"):
            hit("py.pattern.tls-verify", call, "unverified TLS context: certificates are not checked")
        elif q == "jwt.decode" or q == "jose.jwt.decode" or q.endswith(".jwt.decode"):
            self._jwt(call, q, pos, kws, facts, hit)
        elif q in ("aiohttp_jinja2.setup", "aiohttp_jinja2.setup_jinja") and text(kws.get("autoescape")) in ("False", "None"):
            hit("py.pattern.jinja-autoescape", call, "aiohttp_jinja2 set up with autoescape=False: every template prints "
                "values unescaped")
        elif q in ("jinja2.Environment", "jinja2.Template"):
            ae = kws.get("autoescape")
            if q == "jinja2.Environment" and (ae is None or text(ae) in ("False", "None", "0")):
                hit("py.pattern.jinja-autoescape", call, "Jinja2 Environment without autoescape: pass autoescape=select_autoescape()")
            elif q == "jinja2.Template" and (ae is None or text(ae) == "False"):
                hit("py.pattern.jinja-autoescape", call, "jinja2.Template renders without escaping", Severity.LOW)
        elif q in _MARK_SAFE:
            self._mark_safe(call, pos, facts, hit)
        else:
            self._weak_cipher(call, q, m, pos, kws, hit)
        if "verify" in kws and _kw_false(kws, "verify") and (_HTTP_CALLERS.match(q) or m in _HTTP_METHODS):
            hit("py.pattern.tls-verify", call, "verify=False turns off certificate checks: keep verification on")
        elif "cert_reqs" in kws and text(kws["cert_reqs"]).endswith("CERT_NONE"):
            hit("py.pattern.tls-verify", call, "cert_reqs=CERT_NONE turns off certificate checks")

    @staticmethod
    def _weak_hash(call: Node, q: str, pos: list[Node], kws: dict[str, Node], hit) -> None:  # noqa: ANN001
        """MD5/SHA-1: broken for integrity and signatures. Low when the purpose is unknown
        (cache keys, ETags), medium when the value is a token, signature or checksum."""
        if _kw_false(kws, "usedforsecurity"):
            return
        if q in ("hashlib.new", "Crypto.Hash.new"):
            name = (string_value(pos[0]) or "") if pos else ""
            if name.lower().replace("-", "") not in ("md5", "sha1", "md4", "md2", "sha"):
                return
        elif not (q.rsplit(".", 1)[-1].lower() in ("md5", "sha1", "md4", "md2") or q.endswith(_WEAK_HASH_SUFFIXES)):
            return
        purpose = _SECURITY_PURPOSE.search(_use_context(call))
        hit("py.pattern.weak-hash", call,
            "MD5/SHA-1 are broken for integrity and signatures: use hashlib.sha256 (or HMAC-SHA256 for tokens)",
            None if purpose else Severity.LOW)

    @staticmethod
    def _weak_cipher(call: Node, q: str, m: str, pos: list[Node], kws: dict[str, Node], hit) -> None:  # noqa: ANN001
        """Broken ciphers (DES, 3DES, RC4, Blowfish), ECB mode, RSA under 2048 bits and
        PKCS#1 v1.5 encryption padding, in PyCryptodome, cryptography and pyDes."""
        if q.endswith(_WEAK_CIPHERS):
            hit("py.pattern.weak-cipher", call, "broken cipher (DES/3DES/RC4/Blowfish): use AES-GCM or ChaCha20-Poly1305")
        elif q.endswith("modes.ECB") or (m == "new" and any(text(a).endswith("MODE_ECB") for a in (*pos[1:2], kws.get("mode")) if a)):
            hit("py.pattern.weak-cipher", call, "ECB mode leaks patterns of the plaintext: use AES-GCM")
        elif q.endswith("padding.PKCS1v15") and _encrypts(call):
            hit("py.pattern.weak-cipher", call, "RSA PKCS#1 v1.5 encryption padding allows padding-oracle attacks: use padding.OAEP",
                Severity.MEDIUM)
        elif q.endswith(("ssl.SSLContext", "ssl.wrap_socket")) and any(
                a is not None and re.search(r"PROTOCOL_(?:SSLv2|SSLv3|TLSv1(?:_1)?)$", text(a)) for a in (*pos[:1], kws.get("protocol"), kws.get("ssl_version"))):
            hit("py.pattern.weak-cipher", call, "SSLv3/TLS 1.0/1.1 are broken: use ssl.create_default_context() (TLS 1.2+)")
        elif q.endswith(("Cipher.PKCS1_v1_5.new", "Cipher.PKCS1_v1_5")):
            hit("py.pattern.weak-cipher", call, "RSA PKCS#1 v1.5 encryption padding allows padding-oracle attacks: use OAEP",
                Severity.MEDIUM)
        elif q.endswith(("rsa.generate_private_key", "RSA.generate", "dsa.generate_private_key", "rsa.newkeys")):
            size = kws.get("key_size") or kws.get("bits") or kws.get("nbits") or (pos[0] if pos and "generate_private_key" not in q else None)
            if size is None and len(pos) > 1 and "generate_private_key" in q:
                size = pos[1]
            if size is not None and text(size).isdigit() and int(text(size)) < 2048:
                hit("py.pattern.weak-cipher", call, f"{text(size)}-bit RSA/DSA keys can be factored: use at least 2048 (3072 preferred)")

    @staticmethod
    def _jwt(call: Node, q: str, pos: list[Node], kws: dict[str, Node], facts: PyFacts, hit) -> None:  # noqa: ANN001
        options = _constant_text(kws.get("options"), call, facts)
        alg_node = kws.get("algorithms") or (pos[2] if len(pos) > 2 else None)
        algs = _constant_text(alg_node, call, facts)
        jose = q.startswith("jose") or facts.imported("jose")
        if _NO_VERIFY.search(options) or _kw_false(kws, "verify"):
            hit("py.auth.jwt-verify", call, "JWT decoded without verifying its signature")
        elif re.search(r"['\"]none['\"]", algs, re.I) or "get_unverified_header" in algs:
            hit("py.auth.jwt-verify", call, "JWT algorithms include 'none' or come from the token itself")
        elif not algs:
            sev = None if jose else Severity.MEDIUM
            hit("py.auth.jwt-verify", call, "jwt.decode without algorithms=[...]: pin the algorithm you issue", sev)

    @staticmethod
    def _mark_safe(call: Node, pos: list[Node], facts: PyFacts, hit) -> None:  # noqa: ANN001
        if not pos:
            return
        arg = pos[0]
        if is_literal(arg) or _escaped_only(arg, call, facts):
            return
        if arg.type == "call":
            inner_q, inner_m = callee(arg, facts)
            if _ESCAPING_CALLS.match(inner_q or inner_m or ""):
                return
            if inner_m not in ("format", "join", "replace"):
                hit("py.pattern.mark-safe", call, "mark_safe/Markup on computed HTML: build it with format_html or escape()",
                    Severity.MEDIUM)
                return
        hit("py.pattern.mark-safe", call, "mark_safe/Markup on a value that is not a constant: escape it or use format_html")

    # -- passwords -------------------------------------------------------------------
    @staticmethod
    def _plaintext(facts: PyFacts, hit, is_test: bool = False) -> None:  # noqa: ANN001
        msg_store = "password stored without hashing: use set_password/create_user or a password hasher"
        for node, scope in facts.assignments:
            if scope != "function":
                continue
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            if left is None or right is None or left.type != "attribute":
                continue
            attr = text(left.child_by_field_name("attribute"))
            if attr not in ("password", "passwd", "password_hash", "hashed_password", "pwd"):
                continue
            fn = enclosing(node, "function_definition")
            if text(left.child_by_field_name("object")) == "self" and fn is not None and text(fn.child_by_field_name("name")) == "__init__":
                continue  # a client object keeping its credentials, not a stored user record
            if right.type in ("none", "call") and (right.type == "none" or _HASH_CALL.search(text(right.child_by_field_name("function")))):
                continue
            if right.type == "string" and not string_value(right):
                continue
            if right.type == "call" or right.type in ("identifier", "subscript", "attribute", "string"):
                if right.type == "identifier" and not _PASSWORD.search(text(right)):
                    continue
                hit("py.auth.plaintext-password", node, msg_store)
        for call, q, m in facts.named_calls():
            if "password" not in text(call):
                continue
            _, kws = arguments(call)
            value = kws.get("password")
            if value is None or is_literal(value):
                continue
            target = q or m
            user_ctor = bool(_USER_MODEL.match(target.rsplit(".objects", 1)[0].split(".")[-1])) if target else False
            orm_create = m in ("create", "insert", "update") and ".objects" in q and "User" in q
            if (user_ctor and not target.endswith(("create_user", "create_superuser"))) or orm_create:
                if value.type == "call" and _HASH_CALL.search(text(value.child_by_field_name("function"))):
                    continue
                hit("py.auth.plaintext-password", call, msg_store)
            if m in ("execute", "executemany") and call.named_children:
                pos, _ = arguments(call)
                sql = string_value(pos[0]) if pos else None
                if sql and re.search(r"password\w*\s*=\s*(?:\?|%s|:\w+|\$\d)", sql, re.I) and re.search(r"\bwhere\b", sql, re.I):
                    hit("py.auth.plaintext-password", call, "password compared in SQL: store a salted hash and verify it in code",
                        Severity.MEDIUM)
        for cmp in facts.comparisons:
            ops = [text(c) for c in cmp.children if not c.is_named]
            if not any(o in ("==", "!=") for o in ops):
                continue
            sides = cmp.named_children
            if len(sides) != 2:
                continue
            if not is_test and "==" in ops and _default_credential(cmp, sides):
                hit("py.secrets.default-credentials", cmp, "a password compared with a literal: anyone who reads the code "
                    "(or tries the usual defaults) signs in; keep credentials out of the code and store hashes")
                continue
            stored = [s for s in sides if re.search(r"(?:\.password|\[['\"]password['\"]\]|\.password_hash|\.hashed_password)$", text(s))]
            if not stored:
                continue
            other = sides[1] if stored[0] is sides[0] else sides[0]
            if other.type in ("none", "string") or (other.type == "call" and _HASH_CALL.search(text(other))):
                continue
            hit("py.auth.plaintext-password", cmp, "password compared in plain text: verify a salted hash "
                "(check_password, check_password_hash, PasswordHasher.verify)")


CHECKS = [PyPatternCheck()]


_TOKEN_SPLIT = re.compile(r"\b\w*(?:token|jwt)\w*\s*\.\s*split\(\s*['\"]\.['\"]", re.I)
_VERIFIES = re.compile(r"hmac|verify|signature|jwt\.decode|jws|\bdecode\(\s*\w+\s*,|compare_digest", re.I)


def _unverified_token_payload(fn: Node, facts: PyFacts) -> Node | None:
    """The base64 decode of a token's middle part, in a function that splits a token (JWT) on
    dots and checks no signature: its claims are whatever the client wrote."""
    body = re.sub(r"#[^\n]*", "", text(fn))  # comments say nothing about what runs
    if not _TOKEN_SPLIT.search(body) or _VERIFIES.search(body):
        return None
    for call, q, m in facts.named_calls():
        if fn.start_byte <= call.start_byte < fn.end_byte and m in ("b64decode", "urlsafe_b64decode") and q.startswith("base64"):
            return call
    return None


_PASSWORD_NAME = re.compile(r"^(?:\w+_)?(?:password|passwd|pwd|passcode)$", re.I)
_REJECTING = re.compile(r"\braise\b|abort\(|\b40[13]\b|[Ff]orbidden|[Ii]nvalid|[Dd]enied|return\s+(?:False|None)\b")


def _default_credential(cmp: Node, sides: list[Node]) -> bool:
    """`password == "dsvpwa"`: a password-named value compared with a non-empty literal, in a
    condition whose branch lets the caller in (one that rejects a known default is a guard)."""
    names = [s for s in sides if s.type in ("identifier", "attribute", "subscript")]
    literal = [s for s in sides if s.type == "string" and (string_value(s) or "").strip()]
    if len(names) != 1 or len(literal) != 1:
        return False
    name = names[0]
    last = (text(name.child_by_field_name("attribute")) if name.type == "attribute"
            else (string_value(name.child_by_field_name("subscript")) or "") if name.type == "subscript" else text(name))
    if not _PASSWORD_NAME.match(last):
        return False
    node: Node | None = cmp.parent
    while node is not None and node.type not in ("if_statement", "elif_clause", "function_definition", "module"):
        node = node.parent
    branch = node.child_by_field_name("consequence") if node is not None and node.type != "module" else None
    return branch is None or node is None or node.type == "function_definition" or not _REJECTING.search(text(branch)[:300])


def _is_tarfile(call: Node, facts: PyFacts) -> bool:
    """`tar.extractall()` on a tarfile object (shutil.unpack_archive and zipfile sanitize
    member names; tarfile does not before Python 3.14 unless given a filter)."""
    fn = call.child_by_field_name("function")
    recv = fn.child_by_field_name("object") if fn is not None and fn.type == "attribute" else None
    if recv is None:
        return False
    if recv.type == "call":
        return callee(recv, facts)[0] in ("tarfile.open", "tarfile.TarFile")
    return facts.imported("tarfile") and bool(re.search(r"\btar", text(recv), re.I))


def _use_context(call: Node) -> str:
    """What a value is for: the statement that makes it, the function's name, and when it
    is bound to a name, every statement of the function that uses that name (a random value
    later set as a cookie or stored in the session)."""
    stmt = enclosing(call, "expression_statement", "return_statement", "assignment", "keyword_argument")
    fn = enclosing(call, "function_definition")
    parts = [text(stmt)]
    if fn is not None:
        parts.append(text(fn.child_by_field_name("name")))
        assign = enclosing(call, "assignment")
        left = assign.child_by_field_name("left") if assign is not None else None
        body = fn.child_by_field_name("body")
        if left is not None and left.type == "identifier" and body is not None:
            use = re.compile(rf"\b{re.escape(text(left))}\b")
            parts += [line for line in text(body).splitlines() if use.search(line)]
    return " ".join(parts)


def _password_destination(call: Node) -> bool:
    """The hashed value is a password even when its variable is not named so: the digest is
    stored in a password field (`password_hash = sha256(raw)...`, `Member(pw_hash=...)`) or
    returned by a password-hashing function (`def hash_password(raw): return sha256(...)`).
    Digests of tokens, keys and sessions are lookups, not password storage."""
    stmt = enclosing(call, "assignment", "keyword_argument", "return_statement", "function_definition")
    where = ""
    if stmt is not None and stmt.type == "assignment":
        where = text(stmt.child_by_field_name("left"))
    elif stmt is not None and stmt.type == "keyword_argument":
        where = text(stmt.child_by_field_name("name"))
    elif stmt is not None and stmt.type == "return_statement":
        fn = enclosing(stmt, "function_definition")
        where = text(fn.child_by_field_name("name")) if fn is not None else ""
    words = where.replace("_", " ")  # `pw_hash`, `hash_pwd`: name parts are words
    return bool(where) and bool(_PASSWORD.search(words)) and not _TOKENISH.search(where)


def _is_escaping(node: Node, facts: PyFacts) -> bool:
    """`escape(x)`, `format_html(...)`, or either wrapped in str()."""
    while node.type == "call" and callee(node, facts)[0] == "str" and arguments(node)[0]:
        node = arguments(node)[0][0]
    if node.type != "call":
        return False
    q, m = callee(node, facts)
    return bool(_ESCAPING_CALLS.match(q or m or ""))


def _escaped_only(arg: Node, call: Node, facts: PyFacts) -> bool:
    """Django's documented pattern: mark_safe() over HTML put together only from escaped
    pieces (conditional_escape/escape/format_html results, constants, and local helpers
    that return format_html), e.g. `mark_safe(PATTERN.sub(link, escaped).replace(...))`.
    Every variable the expression reads must be bound in the enclosing function to an
    escaping call; a plain function call on the way (unknown transform) fails the test."""
    fn = enclosing(call, "function_definition")
    body = fn.child_by_field_name("body") if fn is not None else None
    if body is None:
        return False
    stack = [arg]
    while stack:
        n = stack.pop()
        if is_literal(n) or _is_escaping(n, facts):
            continue
        if n.type == "call":
            f = n.child_by_field_name("function")
            if f is None or f.type != "attribute":
                return False  # an unknown function may undo the escaping
            stack.append(f.child_by_field_name("object"))  # type: ignore[arg-type]
            stack.extend(arguments(n)[0])
            stack.extend(arguments(n)[1].values())
        elif n.type == "identifier":
            if not _escaped_name(text(n), body, facts):
                return False
        elif n.type in ("attribute", "subscript"):
            return False
        else:
            stack.extend(n.named_children)
    return True


def _escaped_name(name: str, body: Node, facts: PyFacts) -> bool:
    """A constant (UPPER_CASE, e.g. a compiled pattern), a local bound only to escaping
    calls, or a local function all of whose returns are escaping calls."""
    if name.isupper():
        return True
    bound = False
    stack = list(body.named_children)
    while stack:
        n = stack.pop()
        if n.type == "assignment" and text(n.child_by_field_name("left")) == name:
            right = n.child_by_field_name("right")
            if right is None or not _is_escaping(right, facts):
                return False
            bound = True
        elif n.type == "augmented_assignment" and text(n.child_by_field_name("left")) == name:
            return False  # `html += raw` after escaping adds an unescaped piece
        elif n.type == "function_definition" and text(n.child_by_field_name("name")) == name:
            inner = n.child_by_field_name("body")
            rets = [r for r in _returns(inner)] if inner is not None else []
            if not rets or not all(r.named_children and _is_escaping(r.named_children[0], facts) for r in rets):
                return False
            bound = True
        elif n.type not in ("function_definition", "class_definition"):
            stack.extend(n.named_children)
    return bound


def _returns(body: Node) -> list[Node]:
    out: list[Node] = []
    stack = list(body.named_children)
    while stack:
        n = stack.pop()
        if n.type == "return_statement":
            out.append(n)
        elif n.type not in ("function_definition", "class_definition", "lambda"):
            stack.extend(n.named_children)
    return out


def _encrypts(padding_call: Node) -> bool:
    """Is this padding object handed to an `encrypt`/`decrypt` call (not `sign`/`verify`,
    where PKCS#1 v1.5 is still sound)?"""
    holder = padding_call.parent
    outer = holder.parent if holder is not None and holder.type in ("argument_list", "keyword_argument") else None
    if outer is not None and outer.type == "argument_list":
        outer = outer.parent
    fn = outer.child_by_field_name("function") if outer is not None and outer.type == "call" else None
    return fn is not None and text(fn).rsplit(".", 1)[-1] in ("encrypt", "decrypt")


def _parses_only_literals(src: SourceFile, facts: PyFacts, set_feature: Node) -> bool:
    """The SAX parser configured by `parser.setFeature(...)` is handed, in the same function,
    only documents the program wrote itself (`parseString("<a/>", parser)` through any
    dataflow): external entities it may resolve were chosen by its author."""
    fn = set_feature.child_by_field_name("function")
    recv = fn.child_by_field_name("object") if fn is not None and fn.type == "attribute" else None
    if recv is None or recv.type != "identifier":
        return False
    name = text(recv)
    scope = set_feature.parent
    while scope is not None and scope.type != "function_definition":
        scope = scope.parent
    if scope is None:
        return False
    uses = []
    for call in facts.calls:
        if not scope.start_byte <= call.start_byte < scope.end_byte or call.start_byte <= set_feature.start_byte:
            continue
        pos, kws = arguments(call)
        if any(a.type == "identifier" and text(a) == name for a in (*pos[1:], *kws.values())):
            uses.append(call)
    return bool(uses) and proven_literal(src, uses)
