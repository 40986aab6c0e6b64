"""Configuration and API-misuse patterns in JS/TS that need no dataflow: CORS with
credentials, cookie and session flags, CSRF, hard-coded secrets in jsonwebtoken /
express-session / NextAuth config, JWT verification, password hashing, Math.random tokens,
TLS verification, timing-unsafe secret comparison, unsafe deserializers, XXE, stack traces in
responses, serving the project root, Next.js config, public env secrets, multer uploads.

All of it is one pass over the file's pairs, calls, declarations and comparisons.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from tree_sitter import Node

from auditor.findings import Severity
from auditor.scan.checks.javascript.constants import UNKNOWN, constant_value, is_dead, local_object
from auditor.scan.checks.javascript.syntax import (
    FUNCTION_TYPES,
    JS_LANGUAGES,
    JsIndex,
    args_of,
    callee_name,
    callee_parts,
    enclosing_function,
    index,
    koa_body,
    mentions,
    object_props,
    params_of,
    pattern_names,
    resolve,
    response_object,
    string_value,
    text,
    unwrap,
    without_comments,
)
from auditor.scan.interface import Check, Hit, SourceFile
from auditor.scan.redos import catastrophic
from auditor.scan.treeutil import find_all

_NEEDLES = (
    "credentials", "ookie", "ession", "ecret", "jwt", "jsonwebtoken", "createHash", "bcrypt", "Math.random",
    "rejectUnauthorized", "NODE_TLS_REJECT_UNAUTHORIZED", "strictSSL", "unserialize", "eserialize", "yaml", "noent",
    ".stack", "static(", "hostname", "dangerouslyAllowSVG", "_PUBLIC_", "REACT_APP_", "VITE_", "localStorage",
    "multer", "csurf", "assw", "pwd", "Access-Control-Allow-Origin", "req", "ctx", "createCipher", "generateKeyPair",
    "md5", "MD5", "SHA1", "sha1", "publicEncrypt", "serve-index", "serveIndex", "dotfiles", ")+", ")*", "createHmac",
    "autoescape", "noEscape", "secureProtocol", "minVersion", "introspection", "ncrypt",
)
# Folder names that hold operator files (logs, backups, dumps, keys, VCS data), as the last
# path segment given to express.static.
_PRIVATE_FOLDER = re.compile(r"""['"`/](logs?|backups?|bak|dumps?|db|database|private|secrets?|keys|certs|\.git|\.svn|incidents?)/?['"`]""", re.I)
_PUBLIC_NEEDLES = ("NEXT_PUBLIC_", "REACT_APP_", "VITE_", "EXPO_PUBLIC_")
_COMPARE_NEEDLES = ("passw", "pwd", "req.", "request.", "ctx.", "req[", "headers", "req.get(")
_SECRET_KEYS = frozenset({"secret", "secretOrKey", "secretOrPrivateKey", "jwtSecret", "sessionSecret", "clientSecret"})
# A database connection's settings: the password next to the server and the account it logs in as.
_DB_PASSWORD_KEYS = frozenset({"password", "pass", "pwd"})
_DB_SERVER_KEYS = frozenset({"host", "hostname", "server", "database", "dbName", "db", "port", "socketPath"})
_DB_ACCOUNT_KEYS = frozenset({"user", "username", "userName"})
# `exception.stack`, `(err as Error).stack`, `(exception as any).stack`
# A value named as encrypted (`encrypted`, `weaklyEncrypted`, `cipherText`, `encryptedCard`).
_ENCRYPT_NAME = re.compile(r"(?i)encrypt|cipher_?text|ciphered")
# `Buffer.from(x).toString('base64')`, `Buffer.from(x, 'utf8').toString("base64")`, `btoa(x)`
_BASE64_ENCODE = re.compile(r"""^\s*(?:Buffer\.from\((.*)\)\s*\.toString\(\s*['"`]base64(?:url)?['"`]\s*\)|btoa\((.*)\))\s*$""", re.S)
# What a cipher produced, or a function that runs one.
_CIPHER_WORDS = re.compile(r"(?i)cipher|encrypt|crypt|sealed|\bfinal\(")
_CIPHER_CALL = re.compile(r"createCipher|\bcipher\b|crypto\.subtle|subtle\.encrypt|CryptoJS|sodium|forge\.|\.encrypt\(|publicEncrypt|kms", re.I)
# The request's user set from claims (`ctx.state.user = ...`, `req.user = ...`).
_STORES_USER = re.compile(r"\b(?:ctx\.state|req|request|res\.locals)\.user\s*=[^=]")
# `res.setHeader('Access-Control-Allow-Credentials', 'true')`, `ctx.set(...)`, `res.header(...)`
# A record field holding a token or key as issued (`token`, `api_key`, `token_plaintext`,
# `resetToken`), not a digest of one (`token_hash`, `hashedToken`).
_STORED_TOKEN_KEY = re.compile(r"(?i)(?:^|_)(?:token|api_?key|secret)(?:_?(?:plain(?:text)?|value|raw))?$|^(?:reset|access|refresh|api|invite|session)Token$")
_HASHED_KEY = re.compile(r"(?i)hash|digest|prefix|last_?4|hint|expires|type|id$")
_RANDOM_SOURCE = re.compile(r"\bMath\.random\s*\(|\brandomBytes\s*\(|\brandomUUID\s*\(|\bnanoid\s*\(|\buuid(?:v4)?\s*\(|\bv4\s*\(|getRandomValues\s*\(")
_HASHING = re.compile(r"createHash|createHmac|\bhash\w*\s*\(|bcrypt|argon2|scrypt|pbkdf2|digest\s*\(", re.I)
_ALLOW_CREDENTIALS = re.compile(r"""['"`]access-control-allow-credentials['"`]\s*,\s*(?:['"`]true['"`]|true)""", re.I)
_ERROR_STACK = re.compile(r"^\(?\s*(?:err|error|e|ex|exc|exception)\b(?:\s+as\s+[\w.]+)?\s*\)?\s*(?:\?\.|\.)\s*stack$")
_SECRET_NAME = re.compile(r"secret|jwt_?key|signing_?key|private_?key", re.I)
_TOKEN_NAME = re.compile(r"token|secret|passw|otp|nonce|salt|session|api_?key|reset|verif|invite|csrf|auth|code|cookie|remember", re.I)
_RANDOM_NOT_TOKEN = re.compile(r"color|colour|delay|jitter|index|position|offset|width|height|duration|timeout|sample|shuffle|random[A-Z]?$|angle|opacity", re.I)
# A coordinate (`x`, `y`, `posX`, `offset_y`), tested case-sensitively: `key` and `apiKey` end in y too.
_COORDINATE = re.compile(r"(?:^|_)[xyXY]$|[a-z0-9][XY]$")
_PASSWORD = re.compile(r"passw|pwd", re.I)
# A password value itself (`password`, `req.body.pwd`, `user.passwd`), not its length, type,
# confirmation or a field name that only mentions it (`passwordPolicy`).
_PASSWORD_VALUE = re.compile(r"^(?:[\w$]+(?:\??\.[\w$]+)*\??\.)?(?:password|passwd|pwd|pass)$", re.I)
_TOKENISH = re.compile(r"token|reset|otp|nonce|apikey|api_key", re.I)  # hashed secrets that are not passwords
_COOKIE_NAME = re.compile(r"sess|token|auth|jwt|sid|login", re.I)
_REQ_EXPR = re.compile(r"\b(?:req|request|ctx)\s*\.\s*(?:headers|get|header|query|body|cookies|params)\b")
_SECRETISH = re.compile(r"secret|token|api_?key|apikey|signature|hmac|digest|process\.env", re.I)
_PUBLIC_SECRET = re.compile(r"\b(?:NEXT_PUBLIC|REACT_APP|VITE|EXPO_PUBLIC)_[A-Z0-9_]*(?:SECRET|PRIVATE|PASSWORD|SERVICE_ROLE|DATABASE_URL|DB_PASS|SK_LIVE)[A-Z0-9_]*")
_CSRF_LIBS = ("csrf-csrf", "csrf-sync", "lusca", "tiny-csrf", "@fastify/csrf-protection", "csurf", "@edge-csrf")
_WEAK_HASHES = frozenset({"md5", "sha1", "sha256", "sha512", "sha-1", "sha-256", "md4", "ripemd160", "md2", "md5-sha1",
                          "rsa-md4", "rsa-md5", "rsa-sha1", "rsa-sha1-2"})
# The broken digests among them: MD2/MD4/MD5/SHA-1 under OpenSSL's names (`RSA-MD4`, `md5-sha1`).
_BROKEN_DIGESTS = frozenset({"md5", "sha1", "sha-1", "md4", "md2", "md5-sha1", "rsa-md4", "rsa-md5", "rsa-sha1", "rsa-sha1-2"})
# Elliptic curves under 224 bits (SEC 2 secp/sect, X9.62 prime/c2pnb/c2tnb, Brainpool, NIST P-):
# the size is the first run of three digits in the name.
_CURVE_BITS = re.compile(r"^(?:secp|sect|prime|c2pnb|c2tnb|c2onb|brainpoolP|P-?)(\d{3})", re.I)
# crypto-js ciphers that are broken or have a 64-bit block (DES, 3DES, RC4).
_CRYPTOJS_WEAK = frozenset({"DES", "TripleDES", "RC4", "RC4Drop"})
_MUTATING_ROUTE = re.compile(r"\.(?:post|put|patch|delete)\s*\(")
# HTML form bodies parsed (what a cross-site form posts), and cookies named for the caller.
_URLENCODED = re.compile(r"\burlencoded\s*\(")
_IDENTITY_COOKIE = re.compile(r"^(?:user_?id|uid|user|username|account_?id|member_?id|role|is_?admin)$", re.I)

_CALL_NAMES = frozenset(
    {"sign", "verify", "decode", "decodeJwt", "session", "cookieSession", "cookieParser", "cookie", "setCookie",
     "set", "createHash", "hash", "hashSync", "genSalt", "genSaltSync", "unserialize", "deepDeserialize", "load",
     "json", "send", "end", "setHeader", "header", "static", "setItem", "multer", "require", "createCipheriv",
     "createCipher", "createDecipheriv", "generateKeyPair", "generateKeyPairSync", "MD5", "SHA1", "md5", "sha1",
     "publicEncrypt", "privateDecrypt", "serveIndex", "createHmac", "helmet", "createECDH", "encrypt", "render"}
)
# Ciphers that are broken or leak structure (Node/OpenSSL names): DES, 3DES, RC4, Blowfish, ECB mode.
_WEAK_CIPHER = re.compile(r"^(?:des(?:-(?!ede)\S*)?|des3|des-ede\S*|rc4\S*|rc2\S*|bf\S*|blowfish|cast\S*|idea\S*|seed\S*|\S+-ecb)$", re.I)
# What a digest or random value is for, when it is a security purpose.
_SECURITY_PURPOSE = re.compile(r"token|secret|sign|verif|integrity|checksum|auth|session|cookie|nonce|otp|passw|"
                               r"hmac|certificate|fingerprint|csrf|api_?key", re.I)
_ID_NAME = re.compile(r"(?:^|_)id$|[a-z0-9]Id$|^u?uid$|guid|boundary|generate_?id|make_?id|new_?id", re.I)
_NESTED_HINT = re.compile(r"[+*}]\)[+*{]")  # cheap text test before looking for nested quantifiers
_COOKIE_OR_SESSION = re.compile(r"\.cookie\(|setCookie|session\.|\.session\b|cookies\.set|Set-Cookie", re.I)

# JWT payloads: a credential by key or by value, and a whole user record fetched by a lookup.
_CREDENTIAL_KEY = re.compile(r"^['\"]?(?:password|passwd|pwd|pass|password_?hash|hashed_?password|pass_?hash|salt)['\"]?$", re.I)
_CREDENTIAL_VALUE = re.compile(r"\.\s*(?:password|passwd|password_?hash|hashed_?password|pass_?hash)\b", re.I)
_WHOLE_RECORD = re.compile(r"(\w+)(?:\.toJSON\(\)|\.toObject\(\)|\.dataValues|\._doc|\.get\(\s*\{\s*plain\s*:\s*true\s*\}\s*\))?")
_LOOKUP = r"(?:findOne|findById|findByPk|findUnique|findFirst|findOneBy|findOneOrFail|findByEmail|findByUsername)"

_GRAPHQL_SERVER = re.compile(r"ApolloServer|createYoga|GraphQLServer|graphqlHTTP|createHandler")

DETECTORS = (
    "js.pattern.plaintext-token", "js.pattern.cors", "js.pattern.cookie", "js.pattern.csrf", "js.pattern.hardcoded-secret", "js.pattern.db-password", "js.pattern.template-autoescape-off",
    "js.pattern.jwt-verify", "js.pattern.jwt-decode", "js.pattern.jwt-payload", "js.pattern.weak-password-hash",
    "js.pattern.plaintext-password", "js.pattern.default-credentials", "js.pattern.insecure-random", "js.pattern.tls-verify-off",
    "js.pattern.timing-unsafe-compare", "js.pattern.unsafe-deserialize", "js.pattern.xxe",
    "js.pattern.error-leak", "js.pattern.error-message-leak", "js.pattern.static-root", "js.pattern.next-config",
    "js.pattern.client-env-secret", "js.pattern.token-localstorage", "js.pattern.upload",
    "js.pattern.weak-hash", "js.pattern.weak-cipher", "js.pattern.directory-listing", "js.pattern.redos",
    "js.pattern.graphql-introspection", "js.pattern.jwt-expiry",
)


def _key(src: SourceFile, pair: Node) -> str:
    key = pair.child_by_field_name("key")
    if key is None:
        return ""
    return string_value(src, key) or text(src, key) if key.type == "string" else text(src, key)


class PatternCheck(Check):
    languages = JS_LANGUAGES
    detectors = DETECTORS

    def run(self, src: SourceFile) -> Iterable[Hit]:
        if not mentions(src.text, _NEEDLES):
            return []
        idx = index(src)
        if idx is None:
            return []
        return _Patterns(src, idx).run()


class _Patterns:
    def __init__(self, src: SourceFile, idx: JsIndex) -> None:
        self.src = src
        self.idx = idx
        self.hits: list[Hit] = []
        self.literals: dict[str, str] = {}  # const NAME = 'literal'
        self.fields: dict[str, Node] | None = None  # class fields holding a string literal, found on first use
        self.field_hits: set[str] = set()
        self.req_names: set[str] = set()  # names declared from request input
        self.secret_names: set[str] = set()  # names declared from secrets, HMACs, env
        self.origin_names: set[str] = set()  # names holding the request's Origin header
        self.jwt_names = {n for n, b in idx.bindings.items() if b.split("|")[0] in ("jsonwebtoken",)} | {"jwt"}
        self.own_digests: frozenset[str] | None = None  # this file's bare MD5/SHA-1 helpers, found once
        self._csrf_cookie = False  # a cookie-login CSRF finding made in this file

    def hit(self, detector: str, node: Node, message: str, severity: Severity | None = None, rule_id: str | None = None) -> None:
        self.hits.append(Hit.at(detector, node, message, severity=severity, rule_id=rule_id))

    def run(self) -> list[Hit]:
        src = self.src
        for decl in self.idx.get("decl"):
            name, value = decl.child_by_field_name("name"), unwrap(decl.child_by_field_name("value"))
            if name is None or value is None:
                continue
            if name.type == "object_pattern" and _HEADERS_EXPR.match(text(src, value)):
                # `const { origin } = req.headers`
                self.origin_names.update(n for n, _ in pattern_names(src, name) if n.lower() == "origin")
            if name.type != "identifier":
                continue
            if self._is_origin(value):
                self.origin_names.add(text(src, name))
            lit = string_value(src, value)
            if lit is not None:
                self.literals[text(src, name)] = lit
            elif value.type == "binary_expression" and text(src, value.child_by_field_name("operator")) in ("||", "??"):
                fallback = string_value(src, value.child_by_field_name("right"))
                if fallback:
                    self.literals[text(src, name)] = fallback
            if _REQ_EXPR.search(text(src, value)):
                self.req_names.add(text(src, name))
            elif _SECRETISH.search(text(src, value)) or "createHmac" in text(src, value):
                self.secret_names.add(text(src, name))
            self._random(decl, text(src, name), value)
            if _SECRET_NAME.search(text(src, name)):
                fallback = _fallback_literal(src, value)
                if fallback is not None and len(fallback) >= 4:
                    # `const secret = config.jwtSecret || 'dev-secret'`: where the key is chosen
                    self.hit("js.pattern.hardcoded-secret", decl, f"`{text(src, name)}` falls back to the literal "
                             f"'{fallback[:2]}...' when the configured value is empty: fail at startup instead, so no "
                             "deployment signs or verifies with a key that is in the source.", Severity.LOW)
            if _ENCRYPT_NAME.search(text(src, name)):
                self._encoding_as_encryption(decl, value)
        for pair in self.idx.get("pair"):
            self._pair(pair)
        if _RANDOM_SOURCE.search(src.text) and src.tree is not None:
            for short in find_all(src.language or "javascript", src.tree.root_node, ("shorthand_property_identifier",)):
                key = text(src, short)  # `{ resetToken }` in a written record
                if _STORED_TOKEN_KEY.search(key) and not _HASHED_KEY.search(key) and self._fresh_token(short) \
                        and _written_record(src, short):
                    self.hit("js.pattern.plaintext-token", short, f"`{key}` stores a freshly generated token as it is: "
                             "whoever reads the table or a backup can use every token. Store a SHA-256 hash of it "
                             "(and show the token once).")
        for call in self.idx.get("call"):
            self._call(call)
        for node in self.idx.get("assign"):
            self._assign(node)
        if "Math.random" in src.text and src.tree is not None:
            for ret in find_all(src.language or "javascript", src.tree.root_node, ("return_statement",)):
                # `function insecureToken() { return `t-${Math.random()...}` }`: the function's name
                # says what the value is, as a variable's name does
                value = ret.named_children[0] if ret.named_children else None
                if value is not None and "Math.random" in text(src, value):
                    self._random(ret, "", unwrap(value))
        if "@Catch(" in src.text and ".stack" in src.text:
            self._filter_stack_leak()
        if _PASSWORD.search(src.text):
            for call in self.idx.get("call"):
                self._password_to_digest_helper(call)
        if mentions(src.text, _COMPARE_NEEDLES):
            for cmp in self.idx.get("cmp"):
                self._compare(cmp)
        if _NESTED_HINT.search(src.text):
            self._redos()
        m = _PUBLIC_SECRET.search(src.text) if mentions(src.text, _PUBLIC_NEEDLES) else None
        if m:
            line = src.text.count("\n", 0, m.start()) + 1
            self.hits.append(Hit("js.pattern.client-env-secret", line, 1, line,
                                 f"{m.group(0)} is inlined into the browser bundle: keep secrets in server-only env vars without the public prefix."))
        return self.hits

    # -- object literals ---------------------------------------------------------------------
    def _pair(self, pair: Node) -> None:
        src = self.src
        key = _key(src, pair)
        value = unwrap(pair.child_by_field_name("value"))
        if value is None:
            return
        vtext = text(src, value)
        if _STORED_TOKEN_KEY.search(key) and not _HASHED_KEY.search(key) and self._fresh_token(value) and _written_record(src, pair):
            self.hit("js.pattern.plaintext-token", pair, f"`{key}` stores a freshly generated token as it is: whoever reads the "
                     "table or a backup can use every token. Store a SHA-256 hash of it (and show the token once).")
        if key == "credentials" and _may_be_true(src, value):
            self._cors(pair)
        elif key.lower() == "access-control-allow-origin" and self._is_origin(value) and "credentials" in src.text.lower() and not _inside_guard(pair, src):
            # `headers: { 'Access-Control-Allow-Origin': origin }` on a Response / NextResponse
            self.hit("js.pattern.cors", pair, "Access-Control-Allow-Origin copied from the request with credentials: compare the origin with an allow-list first.", Severity.HIGH)
        elif key.lower() == "access-control-allow-origin" and _may_be_star(src, value) and _credentials_beside(src, pair):
            # `{ 'access-control-allow-origin': open ? '*' : origin, 'access-control-allow-credentials': 'true' }`
            self.hit("js.pattern.cors", pair, "Access-Control-Allow-Origin * (on some path) beside Access-Control-Allow-Credentials true: "
                     "name the trusted origins instead of a wildcard.")
        elif key in ("rejectUnauthorized", "strictSSL") and vtext == "false":
            self.hit("js.pattern.tls-verify-off", pair, f"{key}: false turns off TLS certificate checks: remove it (pass a custom `ca` for private CAs).")
        elif key == "keys" and value.type == "array" and _session_options(src, pair) \
                and any(self._hardcoded(unwrap(e) or e) for e in value.named_children):
            # cookie-session signs the whole session with `keys`: `keys: [process.env.K || 'dev-key']`
            self.hit("js.pattern.hardcoded-secret", pair, "Hard-coded session signing `keys` (a literal or a literal fallback): "
                     "whoever reads the code forges any session. Read them from the environment and fail at startup when "
                     "they are missing.")
        elif key in _SECRET_KEYS and self._hardcoded(value) and not (key == "secret" and self._response_body(pair)):
            self.hit("js.pattern.hardcoded-secret", pair, f"Hard-coded `{key}`: read it from the environment (process.env) and fail at startup when it is missing.",
                     self._env_fallback_severity(value))
        elif key in _DB_PASSWORD_KEYS and self._hardcoded(value) and self._db_config(pair):
            self.hit("js.pattern.db-password", pair, "Hard-coded database password in the connection settings: read it "
                     "from the environment (process.env) or a secret store, and rotate the one in the code.",
                     self._env_fallback_severity(value))
        elif key in ("httpOnly", "secure") and vtext == "false" and self._cookie_object(pair):
            self.hit("js.pattern.cookie", pair, f"Cookie with {key}: false: set httpOnly: true, secure: true and sameSite: 'lax' on session and auth cookies.")
        elif key == "hostname" and string_value(src, value) in ("**", "*") and "next.config" in src.path:
            self.hit("js.pattern.next-config", pair, "images.remotePatterns allows any host: the image optimizer becomes an open proxy; list your image hosts.")
        elif key == "dangerouslyAllowSVG" and vtext == "true" and "next.config" in src.path:
            parent = pair.parent
            if parent is not None and "contentSecurityPolicy" not in text(src, parent):
                self.hit("js.pattern.next-config", pair, "dangerouslyAllowSVG without images.contentSecurityPolicy serves script-capable SVGs: add a CSP and contentDispositionType: 'attachment'.")
        elif (key == "autoescape" and vtext == "false") or (key == "noEscape" and vtext == "true"):
            call = pair.parent.parent.parent if pair.parent is not None and pair.parent.parent is not None else None
            callee = text(src, call.child_by_field_name("function") or call.child_by_field_name("constructor")) \
                if call is not None and call.type in ("call_expression", "new_expression") else ""
            if re.search(r"nunjucks|swig|Environment|configure|setDefaults|compile|[Hh]andlebars|hbs|engine", callee):
                self.hit("js.pattern.template-autoescape-off", pair,
                         f"Template engine with `{key}: {vtext}`: every `{{{{ value }}}}` is printed raw (XSS); keep escaping on "
                         "and mark only markup you built as safe.",
                         rule_id="handlebars.xss.triple-stash" if key == "noEscape" else None)
        elif key in ("secureProtocol", "minVersion") and re.fullmatch(
                r"['\"`](?:SSLv2_method|SSLv3_method|SSLv23_method|TLSv1_method|TLSv1_1_method|TLSv1|TLSv1\.1)['\"`]", vtext):
            self.hit("js.pattern.weak-cipher", pair, f"{key}: {vtext} allows SSLv3/TLS 1.0/1.1: use minVersion: 'TLSv1.2' (the default).")
        elif key == "introspection" and vtext == "true" and self._graphql_server_options(pair):
            self.hit("js.pattern.graphql-introspection", pair, "GraphQL introspection switched on for every environment: it hands "
                     "anyone the whole schema (every query, mutation and field); leave it to the default (off in production) or "
                     "tie it to process.env.NODE_ENV !== 'production'.")
        elif key == "noent" and vtext == "true":
            message = "noent: true expands external entities (XXE): leave entity expansion off."
            # Options held in a variable: reported at the parse calls that take them (where the
            # untrusted XML is parsed), else here.
            calls = self._calls_passing(pair.parent)
            for call in calls:
                line = pair.start_point[0] + 1
                self.hit("js.pattern.xxe", call, f"XML parsed with options that set noent: true (line {line}): external "
                         "entities are expanded (XXE); leave entity expansion off.")
            if not calls:
                self.hit("js.pattern.xxe", pair, message)
        elif key == "filename" and value.type in ("arrow_function", "function_expression", "function"):
            body = text(src, value)
            if "originalname" in body and "basename" not in body and "extname" not in body:
                self.hit("js.pattern.upload", pair, "Upload saved under the client's file name: generate the name (crypto.randomUUID() + checked extension); originalname may hold '../'.")

    def _graphql_server_options(self, pair: Node) -> bool:
        """Is `pair` in the options of a GraphQL server (`new ApolloServer({...})`, Yoga, Mercurius)?"""
        obj = pair.parent
        call = obj.parent.parent if obj is not None and obj.parent is not None and obj.parent.type == "arguments" else None
        if call is None or call.type not in ("call_expression", "new_expression"):
            return False
        callee = text(self.src, call.child_by_field_name("function") or call.child_by_field_name("constructor"))
        return bool(_GRAPHQL_SERVER.search(callee)) or (
            callee.endswith("register") and "mercurius" in text(self.src, args_of(call)[0] if args_of(call) else None))

    def _calls_passing(self, obj: Node | None) -> list[Node]:
        """The calls that take the object literal `obj` through the variable it is declared in
        (`const opts = {...}; parse(xml, opts)`), within the declaring function."""
        decl = obj.parent if obj is not None else None
        if decl is None or decl.type != "variable_declarator":
            return []
        name = decl.child_by_field_name("name")
        if name is None or name.type != "identifier":
            return []
        wanted = text(self.src, name)
        scope = enclosing_function(decl)
        lo, hi = (scope.start_byte, scope.end_byte) if scope is not None else (decl.end_byte, 1 << 62)
        return [call for call in self.idx.get("call")
                if decl.end_byte <= call.start_byte and lo <= call.start_byte < hi
                and any(a.type == "identifier" and text(self.src, a) == wanted for a in args_of(call))]

    def _response_body(self, pair: Node) -> bool:
        """A `secret` in what a route answers with is response data (a message, a riddle's
        answer), not a key; a config factory's `return { secret: '...' }` is not a route."""
        return pair.parent is not None and response_object(self.src, pair.parent)

    def _env_fallback_severity(self, value: Node) -> Severity | None:
        """`process.env.JWT_SECRET || 'dev-secret'`: the literal ships only when the variable is
        unset, reported low (as the Python config check reports `os.environ.get(K) or 'x'`)."""
        if value.type == "binary_expression" and text(self.src, value.child_by_field_name("operator")) in ("||", "??") \
                and "process.env" in text(self.src, value.child_by_field_name("left")):
            return Severity.LOW
        return None

    def _db_config(self, pair: Node) -> bool:
        """The object holding `pair` is a database connection's settings: it also names the
        server (`host`, `url`) or the database and the account (`user`/`username`). A seed
        record (`{ email, password }`) names neither."""
        obj = pair.parent
        if obj is None or obj.type != "object":
            return False
        keys = {_key(self.src, c) for c in obj.named_children if c.type == "pair"}
        keys |= {text(self.src, c) for c in obj.named_children if c.type == "shorthand_property_identifier"}
        return bool(keys & _DB_SERVER_KEYS) and bool(keys & _DB_ACCOUNT_KEYS)

    def _hardcoded(self, value: Node) -> bool:
        src = self.src
        lit = string_value(src, value)
        if lit is not None:
            return len(lit) >= 4
        if value.type == "binary_expression" and text(src, value.child_by_field_name("operator")) in ("||", "??"):
            fb = string_value(src, value.child_by_field_name("right"))
            return bool(fb) and len(fb) >= 4
        if value.type == "identifier":
            return text(src, value) in self.literals and len(self.literals[text(src, value)]) >= 4
        if self._literal_field(value) is not None:
            return True
        if value.type == "call_expression" and text(src, value.child_by_field_name("function")) == "Buffer.from":
            args = args_of(value)  # Buffer.from('key', 'hex'): the key is still the literal
            return bool(args) and self._hardcoded(unwrap(args[0]) or args[0])
        return False

    def _filter_stack_leak(self) -> None:
        """A Nest exception filter (`@Catch()`) that puts the exception's stack into the body
        it replies with (`body.stack = exception.stack`, `{ stack: err.stack }`): every client
        that triggers an error reads file paths, versions and code structure."""
        src = self.src
        for node in (*self.idx.get("assign"), *self.idx.get("pair")):
            if node.type == "pair":
                stored, value = _key(src, node) == "stack", node.child_by_field_name("value")
            else:
                left = node.child_by_field_name("left")
                stored = left is not None and left.type in ("member_expression", "subscript_expression") \
                    and re.search(r"(?:\.stack|\[\s*['\"`]stack['\"`]\s*\])$", text(src, left)) is not None
                value = node.child_by_field_name("right")
            if stored and value is not None and _ERROR_STACK.match(text(src, value).strip()):
                self.hit("js.pattern.error-leak", node, "Exception filter puts the stack trace in the response: log it server-side and return a generic message.")

    def _jwt_expiry(self, call: Node, args: list[Node], opts: dict[str, Node]) -> None:
        """jwt.sign of an object literal with no `exp` claim and options (none, or an object
        literal) without expiresIn: the token never expires."""
        src = self.src
        payload = unwrap(args[0])
        if payload is None or payload.type != "object":
            return
        if len(args) >= 3 and (unwrap(args[2]) is None or unwrap(args[2]).type != "object"):
            return  # options held elsewhere: unknown
        if "expiresIn" in opts:
            hours = _duration_hours(text(src, opts["expiresIn"]))
            around = text(src, call.parent.parent) if call.parent is not None and call.parent.parent is not None else ""
            if hours is not None and hours > _MAX_TOKEN_HOURS and not _REFRESH.search(around):
                self.hit("js.pattern.jwt-expiry", opts["expiresIn"],
                         f"jwt.sign with expiresIn {text(src, opts['expiresIn'])}: a leaked access token stays valid for "
                         "days and cannot be revoked; issue short-lived access tokens (minutes to hours) and refresh "
                         "them with a revocable refresh token.", severity=Severity.LOW)
            return
        if "exp" in object_props(src, payload) or "..." in text(src, payload) \
                or (len(args) >= 3 and "..." in text(src, args[2])):
            return
        self.hit("js.pattern.jwt-expiry", call, "jwt.sign without expiresIn (or an exp claim): the token stays valid forever; set a short expiresIn.")

    def _literal_field(self, value: Node) -> Node | None:
        """The class field a `this.NAME` reads when it is declared with a string literal of 4+
        characters (`private readonly JWT_SECRET = 'changeme'`), else None."""
        src = self.src
        if value.type != "member_expression" or text(src, value.child_by_field_name("object")) != "this":
            return None
        if self.fields is None:
            self.fields = {}
            tree = src.tree
            ts = (src.language or "javascript") in ("typescript", "tsx")
            kind = "public_field_definition" if ts else "field_definition"
            for node in find_all(src.language or "javascript", tree.root_node, (kind,)) if tree is not None else []:
                name = node.child_by_field_name("name" if ts else "property")
                lit = string_value(src, unwrap(node.child_by_field_name("value")))
                if name is not None and lit is not None and len(lit) >= 4:
                    self.fields[text(src, name)] = node
        return self.fields.get(text(src, value.child_by_field_name("property")))

    def _cookie_object(self, pair: Node) -> bool:
        obj = pair.parent
        if obj is None:
            return False
        keys = {_key(self.src, c) for c in obj.named_children if c.type == "pair"}
        if keys & {"maxAge", "sameSite", "expires", "domain", "signed"}:
            return True
        holder = obj.parent
        if holder is not None and holder.type == "pair" and _key(self.src, holder) == "cookie":
            return True
        call = holder.parent if holder is not None and holder.type == "arguments" else None
        return call is not None and callee_parts(self.src, call)[-1:] in (["cookie"], ["set"], ["setCookie"], ["serialize"])

    def _fresh_token(self, value: Node | None) -> bool:
        """A value made by a random generator (`crypto.randomBytes`, `randomUUID`, `Math.random`,
        nanoid/uuid), here or in a local of the same function declared from one (also as a
        branch of a conditional: `on ? token : null`)."""
        value = unwrap(value)
        if value is None:
            return False
        if value.type == "ternary_expression":
            return any(self._fresh_token(value.child_by_field_name(f)) for f in ("consequence", "alternative"))
        if value.type == "binary_expression" and text(self.src, value.child_by_field_name("operator")) in ("||", "??"):
            return self._fresh_token(value.child_by_field_name("left"))
        if _RANDOM_SOURCE.search(text(self.src, value)) and not _HASHING.search(text(self.src, value)):
            return True
        if value.type not in ("identifier", "shorthand_property_identifier"):
            return False
        fn = enclosing_function(value)
        scope = text(self.src, fn) if fn is not None else self.src.text
        name = re.escape(text(self.src, value))
        m = re.search(rf"\b(?:const|let|var)\s+{name}\s*=\s*([^;]+)", scope)
        return m is not None and _RANDOM_SOURCE.search(m.group(1)) is not None and not _HASHING.search(m.group(1))

    def _cors(self, pair: Node) -> None:
        src = self.src
        obj = pair.parent
        props = object_props(src, obj)
        origin = unwrap(props.get("origin"))
        if origin is None:
            return
        otext = text(src, origin)
        if otext == "true" or _may_be_star(src, origin) or _REQ_EXPR.search(otext):
            sev = Severity.HIGH if otext == "true" or _REQ_EXPR.search(otext) else Severity.MEDIUM
            self.hit("js.pattern.cors", obj, "CORS reflects any origin with credentials: any site can read authenticated responses; list the allowed origins.", sev)
        elif origin.type in ("arrow_function", "function_expression", "function") and not re.search(r"includes|indexOf|===|!==|\.has\(|\.test\(|endsWith|match", otext):
            self.hit("js.pattern.cors", obj, "CORS origin callback accepts every origin with credentials: check the origin against an allow-list.")

    def _jwt_payload(self, call: Node, payload: Node) -> None:
        """A JWT's claims are base64, readable by anyone holding the token: a password (or its
        hash) in them, or a whole user record fetched from the database, leaks it."""
        src = self.src
        node = unwrap(payload)
        if node is None:
            return
        props = object_props(src, node)
        if any(_CREDENTIAL_KEY.match(k) for k in props) or (node.type == "object" and _CREDENTIAL_VALUE.search(text(src, node))):
            self.hit("js.pattern.jwt-payload", call, "JWT payload holds a password or its hash: anyone with the token can read "
                     "its claims (they are only base64); sign the user id and role only.")
            return
        record = text(src, node)
        if node.type == "object":
            spread = [c for c in node.named_children if c.type == "spread_element"]
            if len(spread) != 1 or len(node.named_children) > 2:
                return
            record = text(src, spread[0].named_children[0]) if spread[0].named_children else ""
        m = _WHOLE_RECORD.fullmatch(record.strip())
        scope = enclosing_function(call)
        lookups = text(src, scope) if scope is not None else src.text
        if m is not None and re.search(rf"\b{re.escape(m.group(1))}\s*=\s*(?:await\s+)?[\w.]+\.{_LOOKUP}\s*\(", lookups):
            self.hit("js.pattern.jwt-payload", call, f"JWT payload is the whole `{m.group(1)}` record from the database, password "
                     "hash included: anyone with the token can read it; sign the user id and role only.", Severity.MEDIUM)

    # -- calls -------------------------------------------------------------------------------
    def _call(self, call: Node) -> None:  # noqa: C901 - one dispatch over call patterns
        src = self.src
        if callee_name(src, call) not in _CALL_NAMES:
            return
        parts = resolve(src, self.idx, call)
        raw = callee_parts(src, call)
        if not parts:
            return
        name = parts[-1]
        args = args_of(call)
        head = raw[0] if raw else ""
        is_jwt = head in self.jwt_names or parts[0] == "jsonwebtoken"
        if is_jwt and name in ("sign", "verify") and len(args) >= 2:
            key = unwrap(args[1]) or args[1]
            field = self._literal_field(key)
            if field is not None:
                # `jwt.sign(p, this.JWT_SECRET)`: the literal to remove is the field's, reported there once
                if text(src, key) not in self.field_hits:
                    self.field_hits.add(text(src, key))
                    self.hit("js.pattern.hardcoded-secret", field, f"JWT key {text(src, key)} is a string literal in the class: load it from the environment or a secret store.")
            elif self._hardcoded(key):
                self.hit("js.pattern.hardcoded-secret", call, f"jwt.{name} with a hard-coded key: load it from the environment or a secret store.",
                         self._env_fallback_severity(key))
                decl = self._literal_declaration(key)
                if decl is not None and text(src, key) not in self.field_hits:
                    # `const JWT_SECRET = '...'` used by sign/verify: the literal to remove, once
                    self.field_hits.add(text(src, key))
                    self.hit("js.pattern.hardcoded-secret", decl, f"JWT key {text(src, key)} is a string literal: load it from "
                             "the environment or a secret store (and rotate this one).")
            opts = object_props(src, args[2]) if len(args) >= 3 else {}
            if name == "verify":
                algs = opts.get("algorithms")
                if algs is None:
                    self.hit("js.pattern.jwt-verify", call, "jwt.verify without `algorithms`: pin them (e.g. { algorithms: ['HS256'] }) so a token cannot choose its own.")
                elif "none" in text(src, algs).lower():
                    self.hit("js.pattern.jwt-verify", call, "jwt.verify accepts alg 'none': allow only the algorithm you sign with.", Severity.CRITICAL)
            elif "none" in text(src, opts.get("algorithm")).lower():
                self.hit("js.pattern.jwt-verify", call, "Tokens signed with alg 'none' are unsigned: use HS256/RS256/EdDSA.", Severity.CRITICAL)
            if name == "sign":
                self._jwt_payload(call, args[0])
                self._jwt_expiry(call, args, opts)
        elif is_jwt and name == "decode" and self._unverified_decode(call):
            self.hit("js.pattern.jwt-decode", call, "jwt.decode does not check the signature: use jwt.verify (with algorithms) before trusting claims.")
        elif name == "decodeJwt" and "jwtVerify" not in src.text:
            self.hit("js.pattern.jwt-decode", call, "decodeJwt does not check the signature: use jwtVerify before trusting claims.")
        elif raw[-1:] in (["session"], ["cookieSession"]) and len(raw) == 1 and (parts[0] in ("express-session", "cookie-session") or "session" in src.text):
            self._session(call, args, parts[0] == "cookie-session" or raw[-1] == "cookieSession")
        elif raw[-1:] == ["cookieParser"] and args and self._hardcoded(unwrap(args[0]) or args[0]):
            self.hit("js.pattern.hardcoded-secret", call, "Hard-coded cookie-signing secret: read it from the environment.")
        elif name in ("cookie", "setCookie") and len(raw) >= 2 and raw[0] in ("res", "response", "reply") and len(args) >= 2:
            self._cookie_call(call, args[0], args[2] if len(args) >= 3 else None)
        elif name == "set" and len(raw) >= 2 and re.search(r"cookie|store", raw[-2], re.I) and args:
            if object_props(src, args[0]):
                self._cookie_call(call, object_props(src, args[0]).get("name"), args[0])
            elif len(args) >= 2:
                self._cookie_call(call, args[0], args[2] if len(args) >= 3 else None)
        elif name == "createHash" and args and (string_value(src, args[0]) or "").lower() in _WEAK_HASHES:
            if self._hashes_password(call):
                self.hit("js.pattern.weak-password-hash", call, "Fast hash for a password: use bcrypt (cost >= 12), argon2id or scrypt with a per-user salt.")
            elif (string_value(src, args[0]) or "").lower() in _BROKEN_DIGESTS:
                self._weak_hash(call)
        elif name in ("MD5", "SHA1", "md5", "sha1") and (head in ("CryptoJS", "cryptojs") or parts[0] in ("md5", "sha1", "crypto-js/md5", "crypto-js/sha1")):
            self._weak_hash(call)
        elif name == "createHmac" and len(args) >= 2 and self._hardcoded(unwrap(args[1]) or args[1]):
            # an HMAC key in the code lets anyone who reads it forge what the HMAC protects
            self.hit("js.pattern.hardcoded-secret", call, "HMAC key written in the code: load it from the environment or a secret store.")
        elif name in ("createCipheriv", "createCipher", "createDecipheriv") and args:
            # the algorithm is often a local constant: `const algorithm = 'des-ecb'`
            algo = string_value(src, args[0]) or _const_str(src, args[0])
            if name != "createCipher" and len(args) >= 2 and self._hardcoded(unwrap(args[1]) or args[1]):
                self.hit("js.pattern.hardcoded-secret", call, "Encryption key written in the code: load it from the environment or a key store.")
            if name == "createCipher":
                self.hit("js.pattern.weak-cipher", call, "crypto.createCipher derives the key with MD5 and no IV (removed in Node 22): use createCipheriv('aes-256-gcm', key, iv).")
            elif _WEAK_CIPHER.match(algo):
                self.hit("js.pattern.weak-cipher", call, f"Cipher {algo} is broken or leaks patterns (ECB): use aes-256-gcm with a random 12-byte IV.")
        elif name in ("generateKeyPair", "generateKeyPairSync") and len(args) >= 2 and (string_value(src, args[0]) or "") in ("rsa", "dsa", "rsa-pss", "ec"):
            # the options may be a local object declared above the call
            opts = object_props(src, args[1]) or object_props(src, local_object(src, args[1]))
            bits = constant_value(src, opts.get("modulusLength"))
            if isinstance(bits, float) and bits < 2048:
                self.hit("js.pattern.weak-cipher", call, f"{int(bits)}-bit RSA/DSA keys can be factored: use modulusLength 2048 or more (3072 preferred).")
            self._weak_curve(call, opts.get("namedCurve"))
        elif name == "createECDH" and args:
            self._weak_curve(call, args[0])
        elif name == "encrypt" and len(raw) == 3 and (head in ("CryptoJS", "cryptojs") or parts[0] == "crypto-js") and args:
            # CryptoJS.DES.encrypt(...), CryptoJS.AES.encrypt(m, k, { mode: CryptoJS.mode.ECB })
            mode = text(src, object_props(src, args[2]).get("mode")) if len(args) >= 3 else ""
            if raw[1] in _CRYPTOJS_WEAK:
                self.hit("js.pattern.weak-cipher", call, f"CryptoJS.{raw[1]} is broken or has a 64-bit block: use AES (with a random IV) or, better, an AEAD such as AES-GCM.")
            elif mode.endswith(".ECB"):
                self.hit("js.pattern.weak-cipher", call, "ECB mode encrypts equal blocks to equal ciphertext (it leaks patterns): use an AEAD such as AES-GCM, or CBC/CTR with a random IV and a MAC.")
        elif name in ("publicEncrypt", "privateDecrypt") and args and re.search(r"RSA_NO_PADDING|RSA_PKCS1_PADDING", text(src, args[0])):
            self.hit("js.pattern.weak-cipher", call, "RSA without OAEP padding allows padding-oracle attacks: use RSA_PKCS1_OAEP_PADDING with oaepHash 'sha256'.")
        elif name in ("hash", "hashSync", "genSalt", "genSaltSync") and head in ("bcrypt", "bcryptjs") and args:
            rounds = args[1] if name.startswith("hash") and len(args) >= 2 else (args[0] if name.startswith("genSalt") else None)
            if rounds is not None and unwrap(rounds) is not None and unwrap(rounds).type == "number" and int(float(text(src, unwrap(rounds)))) < 10:
                self.hit("js.pattern.weak-password-hash", call, "bcrypt cost below 10 is brute-forceable: use 12 or more.")
        elif name in ("unserialize", "deepDeserialize") and (parts[0] in ("node-serialize", "funcster", "serialize") or head in ("serialize", "funcster")):
            self.hit("js.pattern.unsafe-deserialize", call, "node-serialize/funcster unserialize executes functions in the payload: use JSON.parse and validate.")
        elif name == "load" and (parts[0] in ("js-yaml", "yaml") or head in ("yaml", "jsyaml", "YAML")) and args:
            if "FULL_SCHEMA" in text(src, call) or "js-types" in src.text or self._old_js_yaml():
                self.hit("js.pattern.unsafe-deserialize", call, "js-yaml load with JS types can run code: upgrade to js-yaml 4 and use the default schema.")
        elif name in ("json", "send", "end") and raw[:1] in (["res"], ["reply"], ["response"]) and args:
            stack = _first_match(src, args[0], _STACK_EXPR)
            if stack is not None:
                # From the call to the line that leaks: a generic answer in the next branch is not this one.
                self.hits.append(Hit("js.pattern.error-leak",
                                     call.start_point[0] + 1, call.start_point[1] + 1, stack.end_point[0] + 1,
                                     "Stack trace sent to the client: log it server-side and return a generic message."))
            elif self._caught_error_sent(call, args[0]):
                self.hit("js.pattern.error-leak", call, "The caught error object itself is sent to the client: whatever fields it "
                         "carries (a driver error's SQL, parameters, host) go with it. Log it server-side and answer a generic message.",
                         Severity.LOW)
            elif (leak := self._driver_message_sent(call, args[0])) is not None:
                self._driver_message_hit(call, leak)
        elif name == "render" and raw[:1] == ["res"] and len(args) >= 2 and self._error_view_prints_stack(call, args):
            self.hit("js.pattern.error-leak", call, "The error handler hands the error to a view that prints its stack: "
                     "show a generic page and log the details server-side.")
        elif name == "render" and raw[:1] == ["res"] and len(args) >= 2 \
                and (leak := self._driver_message_sent(call, args[1])) is not None:
            self._driver_message_hit(call, leak)
        elif name in ("setHeader", "header", "set") and len(args) >= 2 and (string_value(src, args[0]) or "").lower() == "access-control-allow-origin":
            guarded = _inside_guard(call, src)
            if self._is_origin(unwrap(args[1])) and "credentials" in src.text.lower() and not guarded:
                self.hit("js.pattern.cors", call, "Access-Control-Allow-Origin copied from the request with credentials: compare the origin with an allow-list first.", Severity.HIGH)
            elif string_value(src, unwrap(args[1])) == "*" and _ALLOW_CREDENTIALS.search(text(src, enclosing_function(call) or call)):
                self.hit("js.pattern.cors", call, "Access-Control-Allow-Origin * with Access-Control-Allow-Credentials true: name the "
                         "trusted origins (browsers refuse the pair, so whoever wrote it meant to let every site read with cookies).")
        elif raw == ["helmet"] and args:
            # helmet installed with its protections switched off one by one
            props = object_props(src, args[0])
            off = [k for k in ("contentSecurityPolicy", "frameguard", "hsts", "strictTransportSecurity", "noSniff",
                               "xContentTypeOptions", "xFrameOptions") if text(src, props.get(k)) == "false"]
            if off:
                sev = Severity.LOW if off == ["contentSecurityPolicy"] else Severity.MEDIUM
                self.hit("js.pattern.no-helmet", call, f"helmet with {', '.join(off)} switched off: keep them on "
                         "(give CSP the sources the app needs instead of disabling it).", sev)
        elif (raw[-1:] == ["serveIndex"] or parts[0] == "serve-index") and len(raw) == 1:
            self.hit("js.pattern.directory-listing", call, "serve-index lists every file of the folder: remove it, or mount it behind authentication.")
        elif name == "static" and len(args) >= 2 and text(src, object_props(src, args[1]).get("dotfiles")).strip("'\"") == "allow":
            self.hit("js.pattern.directory-listing", call, "static files served with dotfiles: 'allow' expose .env, .git and other dot-files: keep the default 'ignore'.")
        elif name == "static" and raw[:1] == ["express"] and args:
            arg = unwrap(args[0])
            atext = text(src, arg).replace(" ", "")
            if string_value(src, arg) in (".", "./", "") or atext in ("__dirname", "process.cwd()", "path.join(__dirname)", "path.resolve(__dirname)", "path.join(__dirname,'..')", 'path.join(__dirname,"..")'):
                self.hit("js.pattern.static-root", call, "express.static serves the project folder (source, .env): serve a dedicated public/ directory.")
            elif m := _PRIVATE_FOLDER.search(atext):
                # logs, backups, dumps and keys are written for the operators, not for visitors
                self.hit("js.pattern.directory-listing", call, f"express.static publishes the `{m.group(1)}` folder: logs, "
                         "backups and keys served to anyone; move them outside the served tree or put the route behind auth.")
        elif name == "setItem" and raw[:1] in (["localStorage"], ["window"]) and args:
            if _COOKIE_NAME.search(string_value(src, args[0]) or ""):
                self.hit("js.pattern.token-localstorage", call, "Auth token in localStorage is readable by any XSS: keep it in an httpOnly, secure, sameSite cookie.")
        elif raw[-1:] == ["multer"] and len(raw) == 1:
            props = object_props(src, args[0]) if args else {}
            if "limits" not in props:
                self.hit("js.pattern.upload", call, "multer without limits accepts uploads of any size and count: set limits: { fileSize, files } and a fileFilter.")
        if name == "require" and args and string_value(src, args[0]) == "csurf":
            self.hit("js.pattern.csrf", call, "csurf is deprecated and unmaintained: use csrf-csrf (double submit) or csrf-sync, with sameSite cookies.", Severity.MEDIUM)

    def _redos(self) -> None:
        """Regex literals with nested unbounded quantifiers; the rule's severity when the
        statement tests request input with it, low otherwise."""
        src = self.src
        tree = src.tree
        if tree is None:
            return
        for node in find_all(src.language or "javascript", tree.root_node, ("regex",)):
            pattern = text(src, node.child_by_field_name("pattern"))
            if catastrophic(pattern):
                stmt = text(src, _statement(node))
                sev = None if _REQ_EXPR.search(stmt) or re.search(r"\b(?:req|request|ctx)\b", stmt) else Severity.LOW
                self.hit("js.pattern.redos", node, f"/{pattern[:40]}/ nests unbounded quantifiers: a crafted input makes it backtrack for minutes (ReDoS); rewrite without the nested + or *", sev)

    def _weak_curve(self, call: Node, curve: Node | None) -> None:
        """An elliptic curve under 224 bits (`createECDH('secp112r1')`, `namedCurve: 'secp192k1'`)."""
        name = string_value(self.src, curve) or _const_str(self.src, curve)
        m = _CURVE_BITS.match(name)
        if m and int(m.group(1)) < 224:
            self.hit("js.pattern.weak-cipher", call, f"Curve {name} has under 224 bits (about {int(m.group(1)) // 2}-bit security): "
                     "use P-256 (prime256v1), P-384 or X25519.")

    def _weak_hash(self, call: Node) -> None:
        """MD5/SHA-1 outside passwords: low when the purpose is unknown (ETags, cache keys),
        the rule's severity when the digest is a token, signature or checksum."""
        purpose = _SECURITY_PURPOSE.search(text(self.src, _statement(call)))
        self.hit("js.pattern.weak-hash", call, "MD5/SHA-1 are broken for integrity and signatures: use sha256 (or an HMAC-SHA256 for tokens).",
                 None if purpose else Severity.LOW)

    def _password_to_digest_helper(self, call: Node) -> None:
        """`hash(req.body.password)` where the app's own `hash` (this file or an imported
        one) is a bare MD5/SHA-1 digest: the password is stored with a fast hash."""
        src = self.src
        args = args_of(call)
        if not args or not _PASSWORD.search(text(src, args[0])) or _TOKENISH.search(text(src, args[0])):
            return
        fn = unwrap(call.child_by_field_name("function"))
        if fn is None:
            return
        if fn.type == "identifier":
            name = text(src, fn)
            mod, _, export = self.idx.bindings.get(name, "").partition("|")
            spec, wanted = (mod, export or name) if mod else ("", name)
        elif fn.type == "member_expression":
            obj = unwrap(fn.child_by_field_name("object"))
            if obj is None or obj.type != "identifier":
                return
            spec, wanted = self.idx.bindings.get(text(src, obj), ""), text(src, fn.child_by_field_name("property"))
            if not spec or "|" in spec:
                return
        else:
            return
        if not spec:
            if self.own_digests is None:
                self.own_digests = _weak_digest_functions(src)
            digests = self.own_digests
        elif spec.startswith(".") and src.index is not None:
            rel = src.index.resolve_js(src.path, spec)
            digests = src.index.memo("javascript:weak-digests", rel, _weak_digest_functions) if rel is not None else None
        else:
            return
        if digests and wanted in digests:
            self.hit("js.pattern.weak-password-hash", call,
                     f"Password hashed with `{wanted}`, a bare MD5/SHA-1 digest: use bcrypt (cost >= 12), argon2id or scrypt.")

    def _hashes_password(self, create: Node) -> bool:
        """What `createHash(...)` digests is named like a password: the `.update(x)` chained on
        it, else the statement around it. Reset tokens, API keys and file contents are fine to
        hash with SHA-256 (`passwordResetToken: createHash(...).update(token)` names a token)."""
        src = self.src
        member = create.parent
        if member is not None and member.type == "member_expression" and text(src, member.child_by_field_name("property")) == "update":
            update = member.parent
            if update is not None and update.type == "call_expression":
                args = args_of(update)
                value = text(src, args[0]) if args else ""
                return bool(_PASSWORD.search(value)) and not _TOKENISH.search(value)
        stmt = text(src, _statement(create))
        return bool(_PASSWORD.search(stmt)) and not _TOKENISH.search(stmt)

    def _is_origin(self, node: Node | None) -> bool:
        """The request's Origin header, directly (`req.headers.origin`,
        `request.headers.get('origin')`), through a variable declared from it, or with a
        fallback (`origin ?? ''`): reflecting it allows every site."""
        if node is None:
            return False
        if node.type == "identifier":
            return text(self.src, node) in self.origin_names
        if node.type == "binary_expression" and text(self.src, node.child_by_field_name("operator")) in ("||", "??"):
            return self._is_origin(unwrap(node.child_by_field_name("left")))
        return node.type in ("member_expression", "subscript_expression", "call_expression") and bool(
            _ORIGIN_EXPR.match(text(self.src, node).replace('"', "'")))

    def _old_js_yaml(self) -> bool:
        project = self.src.project
        if project is None:
            return False
        for dep in project.dependencies:
            if dep.name == "js-yaml":
                m = re.search(r"\d+", dep.version or dep.spec or "")
                return m is not None and int(m.group(0)) < 4
        return False

    def _session(self, call: Node, args: list[Node], cookie_session: bool) -> None:
        src = self.src
        props = object_props(src, args[0]) if args else {}
        if not props:
            return
        cookie = props if cookie_session else object_props(src, props.get("cookie"))
        if "secure" not in cookie:
            self.hit("js.pattern.cookie", call, "Session cookie without `secure`: set cookie: { secure: true, httpOnly: true, sameSite: 'lax' } (app.set('trust proxy', 1) behind a proxy).")
        same = text(src, cookie.get("sameSite")).strip("'\"").lower()
        has_csrf = any(lib in self.idx.modules for lib in _CSRF_LIBS)
        if same in ("", "none", "false") and not has_csrf and _MUTATING_ROUTE.search(src.text):
            self.hit("js.pattern.csrf", call, "Cookie session with no sameSite and no CSRF token: set sameSite: 'lax' and protect forms with csrf-csrf or csrf-sync.")

    def _cookie_csrf(self, call: Node, cname: str | None, opts: dict[str, Node]) -> None:
        """An app that signs callers in with a cookie of its own (`res.cookie('user_id', id)`,
        `res.cookie('auth', token)`) with no sameSite lax/strict, read back from req.cookies, and
        that takes HTML form posts (a urlencoded body parser) on state-changing routes with no
        CSRF token anywhere in the file: any site the user visits can post the forms with the
        user's cookie. Reported once, at the first such cookie."""
        src = self.src
        if self._csrf_cookie or cname is None or not (_COOKIE_NAME.search(cname) or _IDENTITY_COOKIE.match(cname)):
            return
        if text(src, opts.get("sameSite")).strip("'\"`").lower() in ("lax", "strict", "true"):
            return
        if not re.search(rf"""\breq\.(?:cookies|signedCookies)\s*(?:\?\.)?\s*(?:\.\s*{re.escape(cname)}\b|\[\s*['"`]{re.escape(cname)}['"`])""", src.text):
            return
        if not _URLENCODED.search(src.text) or not _MUTATING_ROUTE.search(src.text) \
                or any(lib in self.idx.modules for lib in _CSRF_LIBS) or re.search(r"(?i)csrf|xsrf", without_comments(src.text)):
            return
        self._csrf_cookie = True
        self.hit("js.pattern.csrf", call, f"The app signs callers in with the cookie `{cname}` (no sameSite) and takes form "
                 "posts with no CSRF token: any site can submit them with the user's cookie. Set sameSite: 'lax' and "
                 "protect state-changing forms with csrf-csrf or csrf-sync.")

    def _cookie_call(self, call: Node, name_node: Node | None, opts_node: Node | None) -> None:
        """res.cookie / reply.setCookie / cookies.set without httpOnly and secure. An auth
        cookie is reported at the rule's severity; any other at low (a hardening gap)."""
        src = self.src
        if "Math.random" in text(src, call):
            self.hit("js.pattern.insecure-random", call, "Math.random() in a cookie is predictable: use crypto.randomBytes(32).toString('hex') or crypto.randomUUID().")
        cname = string_value(src, name_node) if name_node is not None else None
        opts = object_props(src, opts_node) if opts_node is not None else {}
        if opts_node is not None and unwrap(opts_node) is not None and unwrap(opts_node).type != "object":
            return  # options kept in a variable or built elsewhere: we cannot see them
        self._cookie_csrf(call, cname, opts)
        missing = [k for k in ("httpOnly", "secure") if text(src, opts.get(k)) in ("", "false") or _always_false(src, opts.get(k))]
        if not missing:
            return
        if cname is not None and _COOKIE_NAME.search(cname):
            self.hit("js.pattern.cookie", call, f"Auth cookie `{cname}` set without {' and '.join(missing)}: pass {{ httpOnly: true, secure: true, sameSite: 'lax' }}.")
            return
        self.hit("js.pattern.cookie", call, f"Cookie{f' `{cname}`' if cname else ''} set without {' and '.join(missing)}: pass {{ httpOnly: true, secure: true, sameSite: 'lax' }}.",
                 Severity.LOW)

    # -- assignments, declarations, comparisons ---------------------------------------------------
    def _assign(self, node: Node) -> None:
        src = self.src
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        ltext = text(src, left)
        if ltext.endswith("NODE_TLS_REJECT_UNAUTHORIZED") and string_value(src, right) == "0":
            self.hit("js.pattern.tls-verify-off", node, "NODE_TLS_REJECT_UNAUTHORIZED=0 disables TLS checks for the whole process: remove it.")
        elif right is not None and "Math.random" in text(src, right):
            self._random(node, ltext.rsplit(".", 1)[-1], unwrap(right))
        elif koa_body(src, left) and right is not None and ".stack" in text(src, right) and self._stack_in(unwrap(right)):
            self.hit("js.pattern.error-leak", node, "Stack trace sent to the client (Koa ctx.body): log it server-side and return a generic message.")

    def _encoding_as_encryption(self, at: Node, value: Node) -> None:
        """`const encrypted = Buffer.from(data).toString('base64')` (or `btoa(data)`) in a
        function that calls no cipher: the value is named and used as encrypted but anyone can
        decode it. Base64 of a cipher's output (`cipher.final()`, a `crypto` call) is transport
        encoding and stays clean."""
        src = self.src
        encoded = _BASE64_ENCODE.match(text(src, value).replace("\n", " "))
        if encoded is None or _CIPHER_WORDS.search(encoded.group(1) or encoded.group(2) or ""):
            return
        fn = enclosing_function(at)
        if fn is not None and _CIPHER_CALL.search(without_comments(text(src, fn))):
            return
        self.hit("js.pattern.weak-cipher", at, "Base64 is an encoding, not encryption: anyone can decode this value; "
                 "encrypt with AES-256-GCM (crypto.createCipheriv) and a key from a secret store.")

    def _unverified_decode(self, call: Node) -> bool:
        """jwt.decode trusted as the caller's identity: no `.verify(` in the file, or the function
        holding it verifies nothing and is an authentication step itself (a middleware with
        `next`, or one that stores the claims as the request's user). A file whose other
        middleware verifies does not make this one safe; a decode beside a verify (reading the
        `kid` first) stays clean."""
        src = self.src
        if ".verify(" not in src.text:
            return True
        fn = enclosing_function(call)
        if fn is None:
            return False
        if ".verify(" in text(src, fn):
            return self._decoded_branch_returns(call, fn) or self._decode_instead_of_verify(call, fn)
        names = {n for p in params_of(fn) for n, _ in pattern_names(src, p.child_by_field_name("pattern") or p)}
        return "next" in names or _STORES_USER.search(text(src, fn)) is not None

    def _decoded_branch_returns(self, call: Node, fn: Node) -> bool:
        """In a function that also verifies, the decode sits in an if/else branch that returns
        before any verify runs (`if (legacy) { const c = jwt.decode(t); return { user: c.sub }; }`
        then `jwt.verify(...)` below): on that path the claims are trusted unverified."""
        src = self.src
        block = call.parent
        while block is not None and block is not fn and block.type != "statement_block":
            block = block.parent
        if block is None or block is fn or block.parent is None or block.parent.type not in ("if_statement", "else_clause"):
            return False
        body = text(src, block)
        if ".verify(" in body or not re.search(r"\breturn\b", body):
            return False
        start = fn.start_byte
        return all(start + m.start() >= block.end_byte for m in re.finditer(r"\.verify\(", text(src, fn)))

    def _decode_instead_of_verify(self, call: Node, fn: Node) -> bool:
        """The decode and the verify are the two branches of one `if`/`else` (`if (legacyMode) {
        claims = jwt.decode(t) } else { claims = jwt.verify(t, key) }`), and nothing after the
        `if` verifies: on the decode's branch the claims go on unverified."""
        src = self.src
        node = call.parent
        while node is not None and node != fn:
            if node.type == "if_statement":
                cons, alt = node.child_by_field_name("consequence"), node.child_by_field_name("alternative")
                if cons is not None and alt is not None:
                    mine, other = (cons, alt) if cons.start_byte <= call.start_byte < cons.end_byte else (alt, cons)
                    after = src.data[node.end_byte:fn.end_byte].decode("utf-8", "replace")
                    if ".verify(" in text(src, other) and ".verify(" not in text(src, mine) and ".verify(" not in after:
                        return True
            node = node.parent
        return False

    def _literal_declaration(self, key: Node | None) -> Node | None:
        """The declarator of an identifier declared once in this file as a plain string literal."""
        if key is None or key.type != "identifier":
            return None
        name = text(self.src, key)
        found = [d for d in self.idx.get("decl") if text(self.src, d.child_by_field_name("name")) == name]
        if len(found) != 1 or string_value(self.src, unwrap(found[0].child_by_field_name("value"))) is None:
            return None
        return found[0]

    def _caught_names(self, at: Node) -> set[str]:
        """The names holding a caught error where `at` runs: the parameter of an enclosing
        `catch (err)`, or the first parameter of an Express error handler `(err, req, res, next)`."""
        names: set[str] = set()
        node = at.parent
        while node is not None:
            if node.type == "catch_clause":
                param = node.child_by_field_name("parameter")
                if param is not None and param.type == "identifier":
                    names.add(text(self.src, param))
            elif node.type in ("arrow_function", "function_expression", "function_declaration", "function"):
                params = params_of(node)
                if len(params) == 4:
                    first = params[0].child_by_field_name("pattern") or params[0]
                    if first.type == "identifier":
                        names.add(text(self.src, first))
                break
            node = node.parent
        return names

    def _driver_message_sent(self, call: Node, body: Node) -> Node | None:
        """The message of an error caught around a database call, put in an answer or a view's
        locals (`res.status(500).json({ details: err.message })`, `res.render('login', { error:
        `Error: ${err.message}` })`): a driver's message quotes the failing SQL, the constraint
        and column names, which maps the schema for an injection. The node that carries it."""
        node = call.parent
        while node is not None and node.type != "catch_clause":
            if node.type in ("arrow_function", "function_expression", "function_declaration", "method_definition"):
                return None
            node = node.parent
        if node is None or node.parent is None or node.parent.type != "try_statement":
            return None
        param = node.child_by_field_name("parameter")
        tried = node.parent.child_by_field_name("body")
        if param is None or param.type != "identifier" or tried is None or not _DB_CALL.search(text(self.src, tried)):
            return None
        return _first_match(self.src, body, re.compile(r"\b" + re.escape(text(self.src, param)) + r"\.message\b"))

    def _driver_message_hit(self, call: Node, leak: Node) -> None:
        self.hits.append(Hit("js.pattern.error-message-leak", call.start_point[0] + 1, call.start_point[1] + 1,
                             leak.end_point[0] + 1, "The message of an error caught around a database call goes to the "
                             "client: a driver's message quotes the failing SQL, constraint and column names. Log it "
                             "server-side and answer a generic message.", severity=Severity.LOW))

    def _caught_error_sent(self, call: Node, body: Node) -> bool:
        """`res.json(err)` or `res.status(500).json({ error: 'x', details: err })` with `err` the
        caught error (not `err.message`: a message alone is reported nowhere)."""
        caught = self._caught_names(call)
        if not caught:
            return False
        inner = unwrap(body)
        if inner is None:
            return False
        if inner.type == "identifier":
            return text(self.src, inner) in caught
        if inner.type != "object":
            return False
        for p in inner.named_children:
            if p.type == "pair":
                v = unwrap(p.child_by_field_name("value"))
                if v is not None and v.type == "identifier" and text(self.src, v) in caught:
                    return True
            elif p.type == "shorthand_property_identifier" and text(self.src, p) in caught:
                return True
        return False

    def _error_view_prints_stack(self, call: Node, args: list[Node]) -> bool:
        """An error handler's `res.render('errors/error', { error })` whose template (found by
        its name under the project) prints `error.stack`."""
        caught = self._caught_names(call)
        view = string_value(self.src, args[0])
        project = self.src.index
        if not caught or not view or project is None:
            return False
        props = object_props(self.src, args[1])
        keys = [k for k, v in props.items() if unwrap(v) is not None and text(self.src, unwrap(v)) in caught]
        if not keys:
            return False
        stem = view.strip("/").rsplit(".", 1)[0] if "." in view.rsplit("/", 1)[-1] else view.strip("/")
        for ext in (".ejs", ".pug", ".hbs", ".handlebars", ".njk", ".html"):
            for rel in project.files_with(ext):
                if not (rel[: -len(ext)].endswith("/" + stem) or rel[: -len(ext)] == stem):
                    continue
                other = project.source(rel)
                if other is not None and any(re.search(rf"\b{re.escape(k)}\s*\.\s*stack\b", other.text) for k in keys):
                    return True
        return False

    def _stack_in(self, value: Node | None) -> bool:
        """`value` is an error's stack, or an object literal holding one (`{ stack: err.stack }`,
        nested objects included)."""
        if value is None:
            return False
        if value.type != "object":
            return _ERROR_STACK.match(text(self.src, value).strip()) is not None
        return any(self._stack_in(unwrap(p.child_by_field_name("value"))) for p in value.named_children if p.type == "pair")

    def _random(self, at: Node, name: str, value: Node | None) -> None:
        src = self.src
        if value is None or "Math.random" not in text(src, value) or is_dead(src, at):
            return
        fn = enclosing_function(at)
        fname = ""
        if fn is not None:
            n = fn.child_by_field_name("name")
            fname = text(src, n) if n is not None else ""
            if not fname and fn.parent is not None and fn.parent.type == "variable_declarator":
                fname = text(src, fn.parent.child_by_field_name("name"))
            elif not fname and fn.parent is not None and fn.parent.type in ("assignment_expression", "pair"):
                # `X.prototype._generateBoundary = function () {...}`, `{ makeId: () => ... }`
                fname = text(src, fn.parent.child_by_field_name("left") or fn.parent.child_by_field_name("key")).rsplit(".", 1)[-1]
        if not _TOKEN_NAME.search(f"{name} {fname}") and (_ID_NAME.search(name) or _ID_NAME.search(fname)):
            # ids and multipart boundaries others must not guess: predictable, reported low
            self.hit("js.pattern.insecure-random", at, "Math.random() ids are predictable: use crypto.randomUUID() where an id must not be guessed.",
                     Severity.LOW)
            return
        label = name if _TOKEN_NAME.search(name) else fname
        if not _TOKEN_NAME.search(label) and fn is not None and name:
            # a value later set as a cookie or stored in the session is a token whatever its name
            if any(_COOKIE_OR_SESSION.search(ln) for ln in _uses_through_copies(text(src, fn), name)):
                label = "cookie"
        if _TOKEN_NAME.search(label) and not _RANDOM_NOT_TOKEN.search(name) and not _COORDINATE.search(name):
            self.hit("js.pattern.insecure-random", at, "Math.random() is predictable: use crypto.randomBytes(32).toString('hex') or crypto.randomUUID() for tokens.")

    def _compare(self, cmp: Node) -> None:
        src = self.src
        op = text(src, cmp.child_by_field_name("operator"))
        if op not in ("===", "!==", "==", "!="):
            return
        left, right = unwrap(cmp.child_by_field_name("left")), unwrap(cmp.child_by_field_name("right"))
        if left is None or right is None:
            return
        lt, rt = text(src, left), text(src, right)
        for a, b in ((left, right), (right, left)):
            literal = string_value(src, b) if b.type == "string" else None
            if literal and len(literal) >= 3 and _PASSWORD_VALUE.match(text(src, a)) and " " not in literal:
                self.hit("js.pattern.default-credentials", cmp, "Password checked against a string literal: a fixed "
                         "credential in the code (anyone who reads it logs in); check stored bcrypt/argon2 hashes.")
                return
        if any(unwrap(s) is not None and unwrap(s).type in ("string", "number", "null", "undefined", "true", "false", "template_string") for s in (left, right)):
            return
        if "typeof" in lt or "typeof" in rt or ".length" in lt or ".length" in rt:
            return
        if _PASSWORD.search(lt) and _PASSWORD.search(rt) and "(" not in lt + rt and "confirm" not in (lt + rt).lower():
            self.hit("js.pattern.plaintext-password", cmp, "Passwords compared as plain text: store bcrypt/argon2 hashes and check with bcrypt.compare / argon2.verify.")
            return
        for a, b in ((lt, rt), (rt, lt)):
            from_req = _REQ_EXPR.search(a) or a in self.req_names
            if from_req and (_SECRETISH.search(b) or b in self.secret_names) and not _REQ_EXPR.search(b):
                self.hit("js.pattern.timing-unsafe-compare", cmp, "Secret compared with ===: leaks timing; hash both and use crypto.timingSafeEqual.")
                return


_ORIGIN_EXPR = re.compile(
    r"^(?:req|request|ctx|ctx\.request|event)\.(?:headers\.origin|headers\['origin'\]|headers\.get\('origin'\)|get\('origin'\)|header\('origin'\))$",
    re.I,
)
_HEADERS_EXPR = re.compile(r"^(?:req|request|ctx|ctx\.request|event)\.headers$")


def _const_str(src: SourceFile, node: Node | None) -> str:
    """The string a local constant holds (`const algorithm = 'des-ecb'`), else ''."""
    v = constant_value(src, node)
    return v if isinstance(v, str) else ""


def _always_false(src: SourceFile, node: Node | None) -> bool:
    """A cookie flag the code always sets false: `secure: isSecure` with `let isSecure = false`,
    `secure: 1 != 1`, a field of a local options object holding false."""
    if node is None:
        return False
    v = constant_value(src, node)
    return v is not UNKNOWN and not v


def _uses_through_copies(body: str, name: str) -> list[str]:
    """The lines of `body` that use `name` or a local it is copied into (`key = holder.k`),
    two copies deep: a random value parked in a variable or an object before it is set."""
    m = re.match(r"[\w$]+", name)
    if m is None:
        return []
    names = {m.group(0)}
    lines = body.splitlines()
    for _ in range(2):
        pat = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b")
        for ln in lines:
            copy = re.match(r"\s*(?:(?:const|let|var)\s+)?([\w$]+)\s*=[^=]", ln)
            if copy and pat.search(ln[copy.end() - 1:]):
                names.add(copy.group(1))
    pat = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b")
    return [ln for ln in lines if pat.search(ln)]


def _written_record(src: SourceFile, pair: Node) -> bool:
    """The object holding `pair` is (or is the `data`/`values` of) the record a database write
    takes: `.insert({...})`, `create({ data: {...} })`, `.update(...)`, `.save(...)`."""
    obj = pair.parent
    holder = obj.parent if obj is not None else None
    if holder is not None and holder.type == "pair" and _key(src, holder) in ("data", "values", "create", "update"):
        obj = holder.parent
        holder = obj.parent if obj is not None else None
    call = holder.parent if holder is not None and holder.type == "arguments" else None
    return call is not None and call.type == "call_expression" and callee_parts(src, call)[-1:] in (
        ["insert"], ["create"], ["update"], ["upsert"], ["save"], ["insertMany"], ["createMany"], ["insertOne"], ["updateOne"])


def _fallback_literal(src: SourceFile, value: Node | None) -> str | None:
    """The literal of `x || 'lit'` / `x ?? 'lit'`, also as a branch of a conditional."""
    value = unwrap(value)
    if value is None:
        return None
    if value.type == "ternary_expression":
        for f in ("consequence", "alternative"):
            lit = _fallback_literal(src, value.child_by_field_name(f))
            if lit is not None:
                return lit
        return None
    if value.type == "binary_expression" and text(src, value.child_by_field_name("operator")) in ("||", "??"):
        return string_value(src, value.child_by_field_name("right"))
    return None


def _in_some_branch(value: Node | None, holds: Callable[[Node], bool]) -> bool:
    """`holds` for the value, or for either branch of a conditional (`open ? '*' : o`): a setting
    picked by a switch is as open as its most open branch."""
    value = unwrap(value)
    if value is None:
        return False
    if value.type == "ternary_expression":
        return any(_in_some_branch(value.child_by_field_name(f), holds) for f in ("consequence", "alternative"))
    return holds(value)


def _may_be_star(src: SourceFile, value: Node | None) -> bool:
    """The wildcard origin, as the value or as either branch of a conditional (`open ? '*' : o`)."""
    return _in_some_branch(value, lambda v: string_value(src, v) == "*")


_STACK_EXPR = re.compile(r"\b(?:err|error|e|ex|exception)\.stack\b")
# A database call in a `try` block: `db.query(`, `pool.execute(`, `query<Row>(`, an ORM's find/save.
_DB_CALL = re.compile(r"\b(?:query|execute|raw|findOne|findAll|findMany|findUnique|findById|save|insertOne|updateOne|"
                      r"deleteOne|\$queryRaw\w*|\$executeRaw\w*)\s*(?:<[^<>()]*>)?\s*\(")


def _first_match(src: SourceFile, node: Node | None, pattern: re.Pattern[str]) -> Node | None:
    """The smallest-first, leftmost descendant of `node` (or `node` itself) whose text matches
    `pattern`: a property of an answer object rather than the whole object."""
    node = unwrap(node)
    if node is None or not pattern.search(text(src, node)):
        return None
    for child in node.named_children:
        found = _first_match(src, child, pattern)
        if found is not None:
            return found
    return node


def _session_options(src: SourceFile, pair: Node) -> bool:
    """`pair` is in the options object passed to a session middleware (`session({...})`,
    `cookieSession({...})`)."""
    obj = pair.parent
    args = obj.parent if obj is not None else None
    call = args.parent if args is not None and args.type == "arguments" else None
    return call is not None and call.type == "call_expression" and \
        re.search(r"(?i)session", text(src, call.child_by_field_name("function"))) is not None


def _may_be_true(src: SourceFile, value: Node | None) -> bool:
    """`true`, as the value or as either branch of a conditional (`debug ? true : false`)."""
    return _in_some_branch(value, lambda v: text(src, v) == "true")


def _credentials_beside(src: SourceFile, pair: Node) -> bool:
    """A sibling `access-control-allow-credentials: 'true'` in the same headers object."""
    obj = pair.parent
    for other in obj.named_children if obj is not None else ():
        if other.type == "pair" and _key(src, other).lower() == "access-control-allow-credentials":
            v = unwrap(other.child_by_field_name("value"))
            return v is not None and (text(src, v) == "true" or string_value(src, v) == "true")
    return False


def _inside_guard(node: Node, src: SourceFile) -> bool:
    """True when an enclosing `if` (within the same function) compares or allow-lists first."""
    parent = node.parent
    while parent is not None and parent.type not in FUNCTION_TYPES:
        if parent.type == "if_statement":
            cond = text(src, parent.child_by_field_name("condition"))
            if re.search(r"includes|\.has\(|===|indexOf|\.test\(", cond):
                return True
        parent = parent.parent
    return False


def _statement(node: Node) -> Node:
    while node.parent is not None and node.parent.type not in ("statement_block", "program", "class_body"):
        node = node.parent
    return node


CHECKS = [PatternCheck()]


_WEAK_DIGEST_BODY = re.compile(r"createHash\(\s*['\"`](?:md5|md4|sha1|sha-1)['\"`]|\b(?:md5|sha1)\(|CryptoJS\.(?:MD5|SHA1)\(", re.I)
_WEAK_DIGEST_BYTES = re.compile(_WEAK_DIGEST_BODY.pattern.encode(), re.I)
_SLOW_HASH = re.compile(r"bcrypt|scrypt|pbkdf2|argon2|createHmac", re.I)


def _weak_digest_functions(src: SourceFile) -> frozenset[str]:
    """Names of the file's functions whose body is a bare MD5/SHA-1 digest (no key, no
    slow KDF): `export const hash = (d) => crypto.createHash('md5').update(d).digest('hex')`."""
    hits = [m.start() for m in _WEAK_DIGEST_BYTES.finditer(src.data)]
    if not hits:
        return frozenset()
    idx = index(src)
    if idx is None:
        return frozenset()
    out = set()
    for fn in idx.get("func"):
        # only functions that hold a digest call are read (one regex pass over the file)
        if not any(fn.start_byte <= h < fn.end_byte for h in hits):
            continue
        holder = fn if fn.type in ("function_declaration", "generator_function_declaration") else fn.parent
        named = holder.child_by_field_name("name") if holder is not None and holder.type in (
            "function_declaration", "generator_function_declaration", "variable_declarator") else None
        if named is not None and not _SLOW_HASH.search(text(src, fn)):
            out.add(text(src, named))
    return frozenset(out)


# An access token's lifetime above a day is a long-lived credential; a refresh token's is not judged.
_MAX_TOKEN_HOURS = 24
_REFRESH = re.compile(r"(?i)refresh|remember")
_UNIT_HOURS = {"s": 1 / 3600, "sec": 1 / 3600, "second": 1 / 3600, "m": 1 / 60, "min": 1 / 60, "minute": 1 / 60,
               "h": 1, "hr": 1, "hour": 1, "d": 24, "day": 24, "w": 168, "week": 168, "y": 8766, "year": 8766}


def _duration_hours(value: str) -> float | None:
    """The hours of a jsonwebtoken `expiresIn`: a vercel/ms string (`'30d'`, `'12 hours'`) or a
    number of seconds, written as a literal or a product of literals (`60 * 60 * 24 * 30`);
    None when it is anything else (a variable, a call)."""
    value = value.strip()
    m = re.fullmatch(r"""['"`]\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*['"`]""", value)
    if m:
        unit = m.group(2).lower()
        if unit in ("", "ms", "msec", "msecs", "millisecond", "milliseconds"):
            return float(m.group(1)) / 3600000  # a bare numeric string is milliseconds
        unit = unit[:-1] if len(unit) > 2 and unit.endswith("s") else unit
        return float(m.group(1)) * _UNIT_HOURS[unit] if unit in _UNIT_HOURS else None
    if re.fullmatch(r"\d+(?:\s*\*\s*\d+)*", value):
        product = 1.0
        for n in re.findall(r"\d+", value):
            product *= float(n)
        return product / 3600
    return None
