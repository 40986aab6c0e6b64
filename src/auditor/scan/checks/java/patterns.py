"""Pattern checks for Java / Spring code: flaws visible in one construct, no data flow.

Spring Security configuration (CSRF, permitAll, CORS, headers, password encoders, legacy
DSL), crypto and TLS misuse, XXE-prone parser factories, Jackson polymorphic typing,
unverified JWTs, MyBatis `${}` substitution, hard-coded signing keys, weak cookies and
secrets in logs. Each detector reads the shared index (`model.JavaFile`): calls by name,
`new` by type, annotations by name, so no detector walks the tree again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from tree_sitter import Node

from auditor.findings import Severity
from auditor.scan.checks.java.model import (
    JavaFile,
    annotation_arg,
    annotation_strings,
    call_args,
    chain,
    java_file,
    outer_chain,
    string_value,
    walk,
)
from auditor.scan.interface import Check, Hit, SourceFile

_WILDCARD_ORIGINS = frozenset({"*", "http://*", "https://*", "null"})
_PASSWORD_CONTEXT = re.compile(r"(?i)passw|pwd")
_TOKEN_CONTEXT = re.compile(
    r"(?i)token|secret|passw|otp|nonce|salt|session|reset|verif|api_?key|csrf|activation|invite|coupon|\bpin\b|cookie|remember|"
    r"(?:generate|new|random)\w*code")
_SENSITIVE_NAME = re.compile(
    r"(?i)^(?:get)?(?:password|passwd|pwd|secret|clientSecret|token|accessToken|refreshToken|idToken|jwt|apiKey|"
    r"creditCard|cardNumber|cvv|ssn|otp|rawPassword|plainPassword)$")
_LOGGER = re.compile(r"(?i)^(?:log|logger|LOG|LOGGER|\w*log|\w*logger|System\.(?:out|err))$")
_LOG_METHODS = frozenset({"info", "debug", "warn", "error", "trace", "fine", "finer", "finest", "severe",
                          "warning", "log", "println", "printf", "print", "atInfo", "atDebug"})
# Lower-case words that show a rate limiter or lockout in the file (substring tests are much
# cheaper than a case-insensitive regex over the whole file).
_LIMITER: tuple[str, ...] = (
    "bucket4j", "bucket", "bandwidth", "ratelimiter", "@ratelimit", "ratelimit", "throttl", "loginattempt",
    "attemptservice", "lockout", "failedattempts", "authenticationfailurebadcredentialsevent", "maxattempts",
)
_LIMITER_DEPS = re.compile(r"(?i)bucket4j|resilience4j|ratelimit|rate-limit|guava|spring-cloud-starter-gateway")
_LOGIN_PATH = re.compile(r"(?i)/(?:login|signin|sign-in|log-in|authenticate|auth|token|oauth/token|auth/token|session)/?$")
_COOKIE_NAME = re.compile(r"(?i)sess|token|jwt|auth|remember|sid|access|refresh|login|user")
_SECRET_FIELD = re.compile(r"(?i)secret|signing_?key|jwt_?key|hmac_?key|token_?key|jwtSigning")
_SECRET_PROPERTY = re.compile(r"\$\{[^}:]*(?i:secret|key|password|token)[^}:]*:([^}]+)\}")
_XXE_FACTORIES: dict[str, tuple[str, ...]] = {
    "DocumentBuilderFactory": ("disallow-doctype-decl", "external-general-entities", "ACCESS_EXTERNAL_DTD",
                               "FEATURE_SECURE_PROCESSING"),
    "SAXParserFactory": ("disallow-doctype-decl", "external-general-entities", "ACCESS_EXTERNAL_DTD",
                         "FEATURE_SECURE_PROCESSING"),
    "XMLInputFactory": ("SUPPORT_DTD", "IS_SUPPORTING_EXTERNAL_ENTITIES", "supportDTD", "ACCESS_EXTERNAL_DTD"),
    "TransformerFactory": ("ACCESS_EXTERNAL_DTD", "ACCESS_EXTERNAL_STYLESHEET", "FEATURE_SECURE_PROCESSING"),
    "SAXTransformerFactory": ("ACCESS_EXTERNAL_DTD", "ACCESS_EXTERNAL_STYLESHEET", "FEATURE_SECURE_PROCESSING"),
    "SchemaFactory": ("ACCESS_EXTERNAL_DTD", "ACCESS_EXTERNAL_SCHEMA", "FEATURE_SECURE_PROCESSING"),
    "XMLReaderFactory": ("disallow-doctype-decl", "external-general-entities", "ACCESS_EXTERNAL_DTD"),
    "SAXReader": ("disallow-doctype-decl", "external-general-entities"),
    "SAXBuilder": ("disallow-doctype-decl", "external-general-entities", "setExpandEntities(false)"),
}
_KEY_LOOKUPS = frozenset({"getenv", "getProperty", "getRequiredProperty", "getSecret", "getValue", "get", "getString",
                          "getKey", "getSecretString", "lookup", "readString", "readAllBytes"})
_KEY_APIS: tuple[str, ...] = ("Jwts", "Algorithm.HMAC", "SecretKeySpec", "Keys.hmac", "Mac.getInstance")
_WEAK_DIGESTS = frozenset({"MD5", "MD2", "MD4", "SHA-1", "SHA1", "SHA"})
# "RSA/ECB/..." is how the JCA names RSA (no block mode): only its padding matters there.
_WEAK_CIPHERS = re.compile(r"(?i)^(?:AES|DES|DESede|TripleDES|RC2|RC4|ARCFOUR|Blowfish)$|^(?!RSA/)[^/]+/ECB/|"
                           r"^(?:DES|DESede|TripleDES|RC4|RC2|Blowfish)/|^RSA(?:/ECB)?/(?:NoPadding|PKCS1Padding)$|^RSA$")
_MYBATIS_BUILDER = frozenset({"WHERE", "SET", "VALUES", "ORDER_BY", "AND", "OR", "HAVING", "SELECT", "FROM",
                              "GROUP_BY", "JOIN", "LEFT_OUTER_JOIN", "INTO_VALUES"})


def _method_text(jf: JavaFile, node: Node) -> str:
    m = jf.method_at(node)
    if m is not None:
        return jf.text(m.node)
    c = jf.class_at(node)
    return jf.text(c.node) if c is not None else jf.src.text


def _calls(jf: JavaFile, *names: str) -> Iterator[Node]:
    for n in names:
        yield from jf.calls.get(n, ())


def _recv(jf: JavaFile, call: Node) -> str:
    return re.sub(r"\s+", "", jf.text(call.child_by_field_name("object")))


def _lambda_disables(jf: JavaFile, arg: Node) -> bool:
    """`x -> x.disable()` or `AbstractHttpConfigurer::disable`."""
    body = jf.text(arg)
    if arg.type == "method_reference":
        return body.replace(" ", "").endswith("::disable")
    return arg.type == "lambda_expression" and bool(re.search(r"\.disable\(\)", body))


def _configurer_disabled(jf: JavaFile, name: str) -> Iterator[Node]:
    """Calls disabling a Spring Security configurer in either DSL:
    `http.csrf(c -> c.disable())`, `http.csrf(AbstractHttpConfigurer::disable)`, `http.csrf().disable()`."""
    for call in jf.calls.get(name, ()):
        args = call_args(call)
        if args and _lambda_disables(jf, args[0]):
            yield call
        elif not args:
            parent = call.parent
            if parent is not None and parent.type == "method_invocation" and jf.text(
                    parent.child_by_field_name("name")) == "disable":
                yield call


def csrf_disabled(jf: JavaFile) -> Iterator[Hit]:
    text = jf.src.text
    stateless = "STATELESS" in text and not re.search(r"formLogin|rememberMe|oauth2Login|sessionManagement\([^)]*IF_REQUIRED", text)
    for call in _configurer_disabled(jf, "csrf"):
        if stateless:
            continue
        yield Hit.at("java.pattern.csrf-disabled", call,
                     "CSRF protection disabled in a session-based app: keep csrf() on (CookieCsrfTokenRepository for SPAs)")


def permit_all(jf: JavaFile) -> Iterator[Hit]:
    method_security = "EnableMethodSecurity" in jf.annotations
    for call in jf.calls.get("permitAll", ()):
        recv = call.child_by_field_name("object")
        if recv is None or recv.type != "method_invocation":
            continue
        rname = jf.text(recv.child_by_field_name("name"))
        rargs = [string_value(a) for a in call_args(recv)]
        if rname == "anyRequest" or (rname in ("requestMatchers", "antMatchers", "mvcMatchers") and "/**" in rargs):
            yield Hit.at("java.pattern.permit-all", call,
                         "every request is permitted: end the chain with anyRequest().authenticated()",
                         severity=Severity.MEDIUM if method_security else None)
        elif "toAnyEndpoint" in jf.text(recv) or any(a and a.startswith("/actuator") and a.rstrip("/*") == "/actuator"
                                                     for a in rargs):
            yield Hit.at("java.pattern.actuator-permit-all", call,
                         "all Actuator endpoints are public: permit only health/info, require a role for the rest")


def password_encoders(jf: JavaFile) -> Iterator[Hit]:
    msg = "passwords stored or compared without a slow hash: use BCryptPasswordEncoder / Argon2 / DelegatingPasswordEncoder"
    for name in ("NoOpPasswordEncoder", "StandardPasswordEncoder", "MessageDigestPasswordEncoder",
                 "Md4PasswordEncoder", "LdapShaPasswordEncoder"):
        for node in jf.news.get(name, ()):
            yield Hit.at("java.pattern.noop-password-encoder", node, msg)
    for call in jf.calls.get("getInstance", ()):
        if _recv(jf, call).endswith("NoOpPasswordEncoder"):
            yield Hit.at("java.pattern.noop-password-encoder", call, msg)
    for call in jf.calls.get("withDefaultPasswordEncoder", ()):
        yield Hit.at("java.pattern.noop-password-encoder", call,
                     "User.withDefaultPasswordEncoder() hard-codes demo users: load users from a store with BCrypt hashes")
    for call in jf.calls.get("password", ()):
        args = call_args(call)
        if args and (string_value(args[0]) or "").startswith("{noop}"):
            yield Hit.at("java.pattern.noop-password-encoder", call, msg)
    for call in _calls(jf, "equals", "equalsIgnoreCase"):
        recv = jf.text(call.child_by_field_name("object"))
        args = call_args(call)
        both = recv + " " + " ".join(jf.text(a) for a in args)
        if recv == "Objects" and len(args) == 2:
            both = " ".join(jf.text(a) for a in args)
        if re.search(r"(?i)\.getPassword\w*\(\)|\.password\b", both) and len(re.findall(r"(?i)passw|pwd", both)) >= 2 \
                and not re.search(r"(?i)confirm|repeat|retype|again|verify", both):
            yield Hit.at("java.pattern.plaintext-password-compare", call,
                         "password compared as plain text: store BCrypt hashes and use passwordEncoder.matches(raw, hash)")


def cors(jf: JavaFile) -> Iterator[Hit]:
    origin_calls = ("allowedOriginPatterns", "setAllowedOriginPatterns", "addAllowedOriginPattern",
                    "allowedOrigins", "setAllowedOrigins", "addAllowedOrigin")
    for call in _calls(jf, *origin_calls):
        values = [string_value(n) for a in call_args(call) for n in walk(a) if n.type == "string_literal"]
        if not any(v in _WILDCARD_ORIGINS for v in values):
            continue
        name = jf.text(call.child_by_field_name("name"))
        scope = jf.text(outer_chain(call)) + _method_text(jf, call)
        creds = re.search(r"(?i)allowCredentials\(\s*true|setAllowCredentials\(\s*true|allowCredentials\s*=\s*\"true", scope)
        if creds and "Pattern" in name:
            yield Hit.at("java.pattern.cors", call,
                         "any origin may send credentialed requests: list the exact trusted origins instead of a * pattern")
        elif creds:
            yield Hit.at("java.pattern.cors", call, "wildcard origin with credentials (rejected by Spring at runtime): "
                         "list exact origins", severity=Severity.MEDIUM)
        else:
            yield Hit.at("java.pattern.cors", call, "CORS open to every origin: fine only for a public, cookie-less API",
                         severity=Severity.LOW)
    for ann in jf.annotations.get("CrossOrigin", ()):
        strings = annotation_strings(ann)
        creds = annotation_arg(ann, "allowCredentials")
        has_creds = creds is not None and string_value(creds) == "true"
        patterns = annotation_arg(ann, "originPatterns")
        wildcard_pattern = patterns is not None and any(string_value(n) in _WILDCARD_ORIGINS for n in walk(patterns))
        if has_creds and (wildcard_pattern or "*" in strings or annotation_arg(ann, "origins") is None
                          and annotation_arg(ann, "value") is None and patterns is None):
            yield Hit.at("java.pattern.cors", ann, "@CrossOrigin lets any origin send credentialed requests: name the origins")
        elif "*" in strings:
            yield Hit.at("java.pattern.cors", ann, "CORS open to every origin", severity=Severity.LOW)
    for call in _calls(jf, "setHeader", "addHeader", "header"):
        args = call_args(call)
        if len(args) == 2 and (string_value(args[0]) or "").lower() == "access-control-allow-origin":
            value = jf.text(args[1])
            if "getHeader" in value or "Origin" in value and string_value(args[1]) is None:
                yield Hit.at("java.pattern.cors", call, "the request's Origin is reflected into Access-Control-Allow-Origin: "
                             "check it against an allow-list")


def _password_context(jf: JavaFile, node: Node) -> bool:
    m = jf.method_at(node)
    if m is None:
        return bool(_PASSWORD_CONTEXT.search(jf.text(node.parent)))
    if _PASSWORD_CONTEXT.search(m.name) or _PASSWORD_CONTEXT.search(jf.text(m.node)):
        return True
    return any(_PASSWORD_CONTEXT.search(jf.text(c.child_by_field_name("arguments"))) for c in jf.calls.get(m.name, ()))


def weak_hashes(jf: JavaFile) -> Iterator[Hit]:
    for call in jf.calls.get("getInstance", ()):
        recv = _recv(jf, call)
        args = call_args(call)
        algo = (string_value(args[0]) if args else None) or ""
        if recv.endswith("MessageDigest"):
            if _password_context(jf, call):
                yield Hit.at("java.pattern.password-digest", call,
                             "password hashed with a fast digest: use BCryptPasswordEncoder or Argon2PasswordEncoder")
            elif algo.upper() in _WEAK_DIGESTS:
                yield Hit.at("java.pattern.weak-hash", call, f"{algo} is broken for security use: use SHA-256 or stronger")
        elif recv.endswith("Cipher") and _WEAK_CIPHERS.search(algo):
            yield Hit.at("java.pattern.weak-cipher", call,
                         f'Cipher "{algo}" is ECB or a broken cipher: use "AES/GCM/NoPadding" with a random 12-byte IV')
    for name in ("md5Hex", "md5", "sha1Hex", "shaHex", "sha1", "md5DigestAsHex", "sha256Hex", "sha512Hex"):
        for call in jf.calls.get(name, ()):
            recv = _recv(jf, call)
            if not recv.endswith(("DigestUtils", "Hashing")):
                continue
            if _password_context(jf, call):
                yield Hit.at("java.pattern.password-digest", call,
                             "password hashed with a fast digest: use BCryptPasswordEncoder or Argon2PasswordEncoder")
            elif "256" not in name and "512" not in name:
                yield Hit.at("java.pattern.weak-hash", call, "MD5/SHA-1 are broken for security use: use SHA-256 or stronger")


def short_keys(jf: JavaFile) -> Iterator[Hit]:
    """KeyPairGenerator.initialize(1024): RSA/DSA/DH keys under 2048 bits can be factored."""
    for call in jf.calls.get("initialize", ()):
        args = call_args(call)
        size = jf.text(args[0]) if args else ""
        if size.isdigit() and int(size) < 2048 and "KeyPairGenerator" in jf.src.text:
            yield Hit.at("java.pattern.weak-cipher", call, f"{size}-bit asymmetric keys can be factored: use 2048 bits or more (3072 preferred)")


def insecure_random(jf: JavaFile) -> Iterator[Hit]:
    nodes: list[Node] = list(jf.news.get("Random", ()))
    nodes += [c for c in jf.calls.get("random", ()) if _recv(jf, c) == "Math"]
    nodes += [c for c in jf.calls.get("current", ()) if _recv(jf, c) == "ThreadLocalRandom"]
    nodes += [c for n in ("randomAlphanumeric", "randomAlphabetic", "randomNumeric", "randomAscii")
              for c in jf.calls.get(n, ()) if _recv(jf, c) == "RandomStringUtils"]
    for node in nodes:
        m = jf.method_at(node)
        context = (m.name + " " + jf.text(m.body)) if m is not None else jf.text(node.parent)
        if _TOKEN_CONTEXT.search(context):
            yield Hit.at("java.pattern.insecure-random", node,
                         "predictable random used for a secret/token: use SecureRandom (e.g. 32 bytes, Base64-url encoded)")


def hardcoded_keys(jf: JavaFile) -> Iterator[Hit]:
    msg = "signing/encryption key written in the code: load it from the environment or a secret store"

    def literal_in(nodes: Iterable[Node]) -> bool:
        """A string literal used as key material (not a variable or property name)."""
        stack = list(nodes)
        while stack:
            n = stack.pop()
            if n.type == "method_invocation" and jf.text(n.child_by_field_name("name")) in _KEY_LOOKUPS:
                continue
            v = string_value(n)
            if v is not None and len(v) >= 4 and not v.startswith("${"):
                return True
            stack.extend(n.named_children)
        return False

    for call in jf.calls.get("hmacShaKeyFor", ()):
        if literal_in(call_args(call)):
            yield Hit.at("java.pattern.hardcoded-key", call, msg)
    for call in _calls(jf, "signWith", "setSigningKey"):
        if literal_in(call_args(call)):
            yield Hit.at("java.pattern.hardcoded-key", call, msg)
    for name in ("HMAC256", "HMAC384", "HMAC512"):
        for call in jf.calls.get(name, ()):
            if literal_in(call_args(call)):
                yield Hit.at("java.pattern.hardcoded-key", call, msg)
    for node in jf.news.get("SecretKeySpec", ()):
        args = call_args(node)
        if args and literal_in(args[:1]):
            yield Hit.at("java.pattern.hardcoded-key", node, msg)
    for ann in jf.annotations.get("Value", ()):
        for s in annotation_strings(ann):
            m = _SECRET_PROPERTY.search(s)
            if m and len(m.group(1).strip()) >= 4:
                yield Hit.at("java.pattern.hardcoded-key", ann, "a default secret in @Value ships in the code: "
                             "remove the default so startup fails without the real secret")
    if any(api in jf.src.text for api in _KEY_APIS):
        for node in jf.fields:
            for decl in node.named_children:
                if decl.type != "variable_declarator":
                    continue
                name = jf.text(decl.child_by_field_name("name"))
                value = string_value(decl.child_by_field_name("value"))
                if value and len(value) >= 8 and _SECRET_FIELD.search(name):
                    yield Hit.at("java.pattern.hardcoded-key", decl, msg)


def trust_all(jf: JavaFile) -> Iterator[Hit]:
    msg = "TLS certificate or host name checks switched off: keep the default trust manager and verifier"
    for m in jf.methods:
        if m.name == "checkServerTrusted" and m.body is not None:
            if not any(n.type in ("throw_statement", "method_invocation") for n in walk(m.body)):
                yield Hit.at("java.pattern.trust-all", m.node, msg)
        elif m.name == "verify" and len(m.params) == 2 and m.params[1].base_type == "SSLSession" and m.body is not None:
            if re.fullmatch(r"\{\s*return\s+true\s*;\s*\}", jf.text(m.body)):
                yield Hit.at("java.pattern.trust-all", m.node, msg)
    for call in _calls(jf, "setHostnameVerifier", "setDefaultHostnameVerifier", "hostnameVerifier",
                       "setSSLHostnameVerifier", "loadTrustMaterial", "trustManager"):
        for a in call_args(call):
            t = re.sub(r"\s+", "", jf.text(a))
            if re.search(r"->true$|NoopHostnameVerifier|ALLOW_ALL|TrustAllStrategy|InsecureTrustManagerFactory", t):
                yield Hit.at("java.pattern.trust-all", call, msg)
                break


def xxe(jf: JavaFile) -> Iterator[Hit]:
    creations: list[tuple[str, Node]] = []
    for name in ("newInstance", "newFactory", "newDefaultInstance", "newDefaultFactory", "createXMLReader"):
        for call in jf.calls.get(name, ()):
            recv = _recv(jf, call).rsplit(".", 1)[-1]
            if recv in _XXE_FACTORIES:
                creations.append((recv, call))
    for typ in ("SAXReader", "SAXBuilder"):
        creations += [(typ, n) for n in jf.news.get(typ, ())]
    for kind, node in creations:
        scope = _method_text(jf, node)
        if not any(tok in scope for tok in _XXE_FACTORIES[kind]):
            yield Hit.at("java.pattern.xxe", node,
                         f"{kind} left with DTDs and external entities enabled: set "
                         "\"http://apache.org/xml/features/disallow-doctype-decl\" to true (or the factory's equivalent)")


def jackson_typing(jf: JavaFile) -> Iterator[Hit]:
    for call in _calls(jf, "enableDefaultTyping", "enableDefaultTypingAsProperty"):
        yield Hit.at("java.pattern.jackson-default-typing", call,
                     "default typing lets JSON name any class to instantiate (gadget RCE): bind to concrete DTOs")
    for call in jf.calls.get("activateDefaultTyping", ()):
        scope = _method_text(jf, call)
        safe = "BasicPolymorphicTypeValidator" in scope and not re.search(r"allowIf(?:Base|Sub)Type\(\s*Object\.class", scope)
        if not safe:
            yield Hit.at("java.pattern.jackson-default-typing", call,
                         "default typing without a restrictive PolymorphicTypeValidator: allow only your own packages")
    for ann in jf.annotations.get("JsonTypeInfo", ()):
        use = annotation_arg(ann, "use")
        if use is not None and re.search(r"\b(?:MINIMAL_)?CLASS$", jf.text(use)):
            yield Hit.at("java.pattern.jackson-default-typing", ann,
                         "@JsonTypeInfo(use = Id.CLASS) lets the payload pick the class: use Id.NAME with @JsonSubTypes",
                         severity=Severity.MEDIUM)


def jwt_verification(jf: JavaFile) -> Iterator[Hit]:
    msg = "JWT read without verifying its signature: use Jwts.parser().verifyWith(key).build().parseSignedClaims(token)"
    for call in _calls(jf, "parseClaimsJwt", "parseUnsecuredClaims", "parsePlaintextJwt", "parseContentJwt",
                       "parseUnsecuredContent"):
        yield Hit.at("java.pattern.jwt-unverified", call, msg)
    for call in jf.calls.get("unsecured", ()):
        if "Jwts" in jf.text(outer_chain(call)) or "parser" in jf.text(outer_chain(call)):
            yield Hit.at("java.pattern.jwt-unverified", call, msg)
    for call in jf.calls.get("parse", ()):
        names = [jf.text(c.child_by_field_name("name")) for c in chain(call)]
        if "setSigningKey" in names and "Jwts" in jf.text(call):
            yield Hit.at("java.pattern.jwt-unverified", call,
                         "jjwt parse() accepts unsigned tokens: use parseSignedClaims (0.12) / parseClaimsJws (0.11)")
    if "JWT.require" not in jf.src.text and ".verify(" not in jf.src.text:
        for call in jf.calls.get("decode", ()):
            if _recv(jf, call) == "JWT":
                yield Hit.at("java.pattern.jwt-unverified", call,
                             "JWT.decode() does not check the signature: use JWT.require(algorithm).build().verify(token)")
    for call in jf.calls.get("none", ()):
        if _recv(jf, call) == "Algorithm":
            yield Hit.at("java.pattern.jwt-unverified", call, msg)
    for m in jf.methods:
        body = jf.text(m.body)
        if m.body is not None and re.search(r"(?i)jwt|token", m.name + body) and re.search(
                r"split\(\s*\"\\\\\.\"", body) and re.search(r"get(?:Url)?Decoder\(\)", body) and not re.search(
                r"Mac\.getInstance|verify|Signature\.getInstance|parseSigned|parseClaimsJws", body):
            yield Hit.at("java.pattern.jwt-unverified", m.node,
                         "JWT payload decoded by hand with no signature check: verify with a JWT library")


def mybatis(jf: JavaFile) -> Iterator[Hit]:
    text = jf.src.text
    msg = "MyBatis ${} pastes text into SQL: use #{param} (bound) and allow-list identifiers"
    if "${" in text:
        for name in ("Select", "Update", "Delete", "Insert"):
            for ann in jf.annotations.get(name, ()):
                if any("${" in s for s in annotation_strings(ann)):
                    yield Hit.at("java.pattern.mybatis-dollar", ann, msg)
    if "ibatis" not in text:
        return
    for name in _MYBATIS_BUILDER:
        for call in jf.calls.get(name, ()):
            for a in call_args(call):
                if a.type == "binary_expression" and any(
                        c.type in ("identifier", "method_invocation") for c in walk(a) if c.parent == a or c.parent and c.parent.parent == a):
                    yield Hit.at("java.pattern.mybatis-dollar", call,
                                 "SQL builder text concatenated with a value: use #{param} placeholders")
                    break


def security_dsl(jf: JavaFile) -> Iterator[Hit]:
    for c in jf.classes:
        superclass = c.node.child_by_field_name("superclass")
        if superclass is not None and "WebSecurityConfigurerAdapter" in jf.text(superclass):
            yield Hit.at("java.pattern.legacy-security-dsl", superclass,
                         "WebSecurityConfigurerAdapter was removed in Spring Security 6: declare a SecurityFilterChain bean")
    for call in _calls(jf, "antMatchers", "mvcMatchers", "regexMatchers", "authorizeRequests"):
        yield Hit.at("java.pattern.legacy-security-dsl", call,
                     "pre-6 DSL: use authorizeHttpRequests(auth -> auth.requestMatchers(...)) in Spring Security 6")
    for ann in jf.annotations.get("EnableGlobalMethodSecurity", ()):
        yield Hit.at("java.pattern.legacy-security-dsl", ann, "use @EnableMethodSecurity (Spring Security 6)")


def headers_disabled(jf: JavaFile) -> Iterator[Hit]:
    for name in ("headers", "frameOptions", "contentTypeOptions", "httpStrictTransportSecurity", "cacheControl"):
        for call in _configurer_disabled(jf, name):
            yield Hit.at("java.pattern.headers-disabled", call,
                         f"security header ({name}) switched off: keep Spring Security's defaults (frameOptions sameOrigin)")


def security_debug(jf: JavaFile) -> Iterator[Hit]:
    for ann in jf.annotations.get("EnableWebSecurity", ()):
        debug = annotation_arg(ann, "debug")
        if debug is not None and jf.text(debug) == "true":
            yield Hit.at("java.pattern.security-debug", ann,
                         "Spring Security debug logs requests, headers and session ids: never enable it outside a laptop")


def cookies(jf: JavaFile) -> Iterator[Hit]:
    for node in jf.news.get("Cookie", ()):
        args = call_args(node)
        name = (string_value(args[0]) if args else None) or jf.text(args[0] if args else None)
        if not _COOKIE_NAME.search(name):
            continue
        scope = _method_text(jf, node)
        if "setMaxAge(0)" in scope.replace(" ", ""):
            continue  # a deletion cookie carries no value worth protecting
        if not (re.search(r"setHttpOnly\(\s*true", scope) and re.search(r"setSecure\(\s*true", scope)):
            yield Hit.at("java.pattern.cookie-flags", node,
                         "auth cookie without HttpOnly and Secure: set both (and SameSite via ResponseCookie)")
    for call in jf.calls.get("from", ()):
        if _recv(jf, call) != "ResponseCookie":
            continue
        full = jf.text(outer_chain(call)).replace(" ", "")
        if "maxAge(0)" in full:
            continue
        if ".httpOnly(true)" not in full or ".secure(true)" not in full:
            yield Hit.at("java.pattern.cookie-flags", call, "ResponseCookie without httpOnly(true) and secure(true)")
    for call in _calls(jf, "setHttpOnly", "setSecure", "httpOnly", "secure"):
        args = call_args(call)
        if args and jf.text(args[0]) == "false":
            yield Hit.at("java.pattern.cookie-flags", call, "cookie protection flag turned off")


def log_secrets(jf: JavaFile) -> Iterator[Hit]:
    for name in _LOG_METHODS:
        for call in jf.calls.get(name, ()):
            if not _LOGGER.match(_recv(jf, call)):
                continue
            for leaf in _log_leaves(jf, call_args(call)):
                if _SENSITIVE_NAME.match(leaf):
                    yield Hit.at("java.pattern.log-secret", call,
                                 "a password/token is written to the log: log the user id or a masked value instead")
                    break


def _log_leaves(jf: JavaFile, args: list[Node]) -> Iterator[str]:
    stack = list(args)
    while stack:
        a = stack.pop()
        if a.type == "identifier":
            yield jf.text(a)
        elif a.type == "method_invocation" and not call_args(a):
            yield jf.text(a.child_by_field_name("name"))
        elif a.type in ("binary_expression", "parenthesized_expression"):
            stack.extend(a.named_children)


def login_rate_limit(jf: JavaFile) -> Iterator[Hit]:
    src = jf.src
    if "formLogin" not in jf.calls and "PostMapping" not in jf.annotations and "RequestMapping" not in jf.annotations:
        return
    low = src.text.lower()
    if any(word in low for word in _LIMITER):
        return
    if src.project is not None and any(_LIMITER_DEPS.search(d.name) for d in src.project.dependencies):
        return
    msg = "login endpoint without rate limiting: throttle attempts per user and IP (Bucket4j, Resilience4j RateLimiter)"
    for m in jf.methods:
        ann = next((m.annotations[a] for a in ("PostMapping", "RequestMapping") if a in m.annotations), None)
        if ann is None:
            continue
        paths = [s for s in annotation_strings(ann) if s.startswith("/")]
        if "RequestMapping" in m.annotations and "POST" not in jf.text(ann) and "PostMapping" not in m.annotations:
            continue
        if any(_LOGIN_PATH.search(p) for p in paths) or (not paths and re.fullmatch(r"(?i)login|signin|authenticate", m.name)):
            yield Hit.at("java.pattern.login-rate-limit", ann, msg)
    for call in jf.calls.get("formLogin", ()):
        yield Hit.at("java.pattern.login-rate-limit", call, msg)
        break


_DETECTORS = (csrf_disabled, permit_all, password_encoders, cors, weak_hashes, short_keys, insecure_random, hardcoded_keys,
              trust_all, xxe, jackson_typing, jwt_verification, mybatis, security_dsl, headers_disabled,
              security_debug, cookies, log_secrets, login_rate_limit)


class JavaPatternCheck(Check):
    """Single-construct flaws in Java / Spring code (see the module docstring)."""

    languages = frozenset({"java"})
    detectors = (
        "java.pattern.csrf-disabled", "java.pattern.permit-all", "java.pattern.actuator-permit-all",
        "java.pattern.noop-password-encoder", "java.pattern.plaintext-password-compare", "java.pattern.cors",
        "java.pattern.weak-hash", "java.pattern.password-digest", "java.pattern.weak-cipher",
        "java.pattern.insecure-random", "java.pattern.hardcoded-key", "java.pattern.trust-all", "java.pattern.xxe",
        "java.pattern.jackson-default-typing", "java.pattern.jwt-unverified", "java.pattern.mybatis-dollar",
        "java.pattern.legacy-security-dsl", "java.pattern.headers-disabled", "java.pattern.security-debug",
        "java.pattern.cookie-flags", "java.pattern.log-secret", "java.pattern.login-rate-limit",
    )

    def run(self, src: SourceFile) -> Iterable[Hit]:
        jf = java_file(src)
        if jf is None:
            return []
        hits: list[Hit] = []
        for detector in _DETECTORS:
            hits.extend(detector(jf))
        return hits


CHECKS = [JavaPatternCheck()]
