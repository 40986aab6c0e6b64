"""Sources, sinks and sanitizers for Java / Spring taint tracking: data, not logic.

The taint engine (`taint.py`) reads these tables; adding a sink is adding a row. Method
names are matched on the simple name of the invoked method; constructors on the simple
type name. `receiver` narrows a generic name (execute, query, update) to receivers that
look like a driver or template, so `service.update(dto)` is not taken for SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# -- sources ---------------------------------------------------------------------------

# Spring parameter annotations whose value comes from the request.
SOURCE_ANNOTATIONS: frozenset[str] = frozenset(
    {"RequestParam", "PathVariable", "RequestBody", "RequestHeader", "CookieValue", "ModelAttribute",
     "MatrixVariable", "RequestPart"}
)
# Parameter types that cannot carry an injection payload once Spring has bound them.
SAFE_PARAM_TYPES: frozenset[str] = frozenset(
    {"int", "long", "short", "byte", "double", "float", "boolean", "char", "Integer", "Long", "Short",
     "Byte", "Double", "Float", "Boolean", "BigDecimal", "BigInteger", "UUID", "LocalDate",
     "LocalDateTime", "Instant", "OffsetDateTime", "ZonedDateTime", "Duration"}
)
# Handler parameter types Spring fills from the framework, not from the request payload.
FRAMEWORK_PARAM_TYPES: frozenset[str] = frozenset(
    {"Principal", "Authentication", "Model", "ModelMap", "HttpServletResponse", "HttpSession",
     "BindingResult", "Errors", "RedirectAttributes", "Pageable", "Sort", "Locale", "SessionStatus",
     "UriComponentsBuilder", "HttpServletRequest", "ServletRequest", "ServerHttpRequest",
     "ServerHttpResponse", "ServerWebExchange", "WebRequest", "NativeWebRequest", "TimeZone", "ZoneId",
     "OAuth2User", "Jwt", "UserDetails", "SecurityContext", "HttpHeaders", "ServerRequest"}
)
# Methods on a request object that return client-controlled data.
REQUEST_SOURCE_METHODS: frozenset[str] = frozenset(
    {"getParameter", "getParameterValues", "getParameterMap", "getHeader", "getHeaders", "getQueryString",
     "getCookies", "getInputStream", "getReader", "getPart", "getParts", "queryParam", "queryParams",
     "pathVariable", "pathVariables", "bodyToMono", "bodyToFlux", "formData", "multipartData", "body"}
)
REQUEST_TYPES: frozenset[str] = frozenset(
    {"HttpServletRequest", "ServletRequest", "ServerRequest", "ServerHttpRequest", "WebRequest",
     "NativeWebRequest", "MultipartHttpServletRequest"}
)
# Receivers named like a request are treated as one even when their type is not visible.
REQUEST_NAMES: re.Pattern[str] = re.compile(r"^(?:req|request|httpRequest|servletRequest|serverRequest|httpServletRequest)$")
# Parameter annotations that constrain a bound value enough to count as validation.
VALIDATING_ANNOTATIONS: frozenset[str] = frozenset({"Pattern", "Email", "Digits"})

# -- sanitizers ------------------------------------------------------------------------

# Calls whose result is safe whatever went in (escaping, numeric parsing, basename).
SANITIZER_METHODS: frozenset[str] = frozenset(
    {"htmlEscape", "escapeHtml4", "escapeHtml", "escapeHtml3", "forHtml", "forHtmlContent",
     "forHtmlAttribute", "forJavaScript", "encodeForHTML", "encodeForHTMLAttribute", "encodeForSQL",
     "sanitize", "clean", "parseInt", "parseLong", "parseDouble", "parseFloat", "parseBoolean",
     "fromString", "getFileName", "getFilename", "encode", "encodePath", "encodePathSegment",
     "encodeQueryParam", "quote", "hashCode", "length", "size", "count", "isEmpty", "isBlank",
     "equals", "equalsIgnoreCase", "contains", "containsKey", "startsWith", "endsWith", "matches",
     "compareTo", "indexOf", "exists", "isPresent", "getSize", "hasText", "hasLength", "ordinal",
     "getId", "longValue", "intValue", "toEpochMilli", "getTime", "isValid"}
)
# Qualified calls that sanitize although their simple name also propagates elsewhere.
SANITIZER_CALLS: frozenset[str] = frozenset(
    {"Integer.valueOf", "Long.valueOf", "Double.valueOf", "UUID.fromString", "FilenameUtils.getName",
     "FilenameUtils.getBaseName", "StringUtils.getFilename", "Enum.valueOf", "Boolean.valueOf",
     "Jsoup.clean", "HtmlUtils.htmlEscape", "URLEncoder.encode", "UriUtils.encode"}
)
# Calls that launder taint in the guard of an `if` (allow-lists, prefix and pattern tests).
GUARD_METHODS: frozenset[str] = frozenset(
    {"contains", "containsKey", "startsWith", "matches", "equals", "equalsIgnoreCase", "test",
     "anyMatch", "isValid", "isAllowed", "isSafe", "isSafeRedirect", "isAllowedHost", "isLocalUrl",
     "isRelative", "validate", "isValidHost", "allowed", "isAllowedUrl", "isInternal", "find",
     "isTrusted", "endsWith"}
)
# A literal origin without its trailing '/': a prefix test with it also admits
# https://example.com.evil.net.
OPEN_ORIGIN: re.Pattern[str] = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^/]*$")
# Statement-level assertions that stop the request when their argument is false.
ASSERT_METHODS: frozenset[str] = frozenset({"isTrue", "checkArgument", "state", "checkState", "require"})

# Instance methods that carry taint from an argument into the result even when the
# receiver is clean (path resolution, string building, JSON binding).
ARG_PROPAGATORS: frozenset[str] = frozenset(
    {"resolve", "resolveSibling", "append", "concat", "format", "formatted", "join", "readValue",
     "convertValue", "readTree", "decode", "replace", "of", "create", "get", "fromUriString",
     "fromHttpUrl", "toUri", "buildAndExpand", "path", "newBuilder", "wrap", "copyOf", "valueOf",
     "getBytes", "toString", "uri", "add", "put", "insert", "apply", "asList", "singletonList"}
)
# Receiver methods that store an argument into the receiver (taint the receiver).
MUTATORS: frozenset[str] = frozenset(
    {"append", "add", "addAll", "put", "putAll", "insert", "set", "command", "write", "print",
     "println", "push", "offer", "addFirst", "addLast"}
)
# Mutators that return their receiver, so a chain of them still writes into the first one.
FLUENT_MUTATORS: frozenset[str] = frozenset({"append", "insert", "add"})  # StringBuilder, StringJoiner
# Receivers whose calls never return request data (repositories, services, loggers).
OPAQUE_RECEIVER: re.Pattern[str] = re.compile(r"(?i)(repository|repo|service|dao|log|logger|mapper|template|client|em|entityManager|session)$")


# -- sinks -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Sink:
    """`detector` fires when a listed argument (None: any) of the call is tainted.
    `receiver`, when set, must match the receiver's text (before the final `.name(`);
    `receiver_tainted` makes a tainted receiver itself the trigger (url.openConnection())."""

    detector: str
    message: str
    args: tuple[int, ...] | None = (0,)
    receiver: re.Pattern[str] | None = None
    receiver_tainted: bool = False


SQL_RECEIVER = re.compile(
    r"(?i)(?:^|\.)(?!rest|web|kafka|rabbit|redis|mongo|jms|transaction|retry|elastic)"
    r"(?:\w*jdbc\w*|\w*template|stmt|\w*statement|conn|connection|em|entitymanager|\w*session|db|database|datasource)$"
)
SQL_MSG = "SQL built from request data: pass values as bound parameters (? / :name) instead"
CMD_MSG = "request data reaches a process launch: use a fixed command with validated, allow-listed arguments"
PATH_MSG = "file path built from request data: resolve against a base dir, normalize, and check startsWith(base)"
SSRF_MSG = "outbound request to a URL taken from the request: allow-list the host or build the URL from fixed parts"
REDIRECT_MSG = "redirect target taken from the request: allow-list it or accept only local paths (\"/...\", not \"//\")"
XSS_MSG = "request data written into an HTML response unescaped: use a template with escaping, or HtmlUtils.htmlEscape"
DESER_MSG = "Java deserialization of request data: accept JSON into a DTO, or set an ObjectInputFilter allow-list"
NOSQL_MSG = "Mongo query parsed from a string with request data: build it with Criteria/Query and typed values"
CODE_MSG = "request data evaluated as an expression/script: never evaluate user input; map it to fixed behaviour"

# method name -> sinks
METHOD_SINKS: dict[str, tuple[Sink, ...]] = {}
# constructor simple type -> sinks
NEW_SINKS: dict[str, tuple[Sink, ...]] = {}


def _add(table: dict[str, tuple[Sink, ...]], names: str, sink: Sink) -> None:
    for name in names.split():
        table[name] = (*table.get(name, ()), sink)


# SQL: JDBC, JdbcTemplate/NamedParameterJdbcTemplate/JdbcClient, JPA and Hibernate.
_add(METHOD_SINKS, "executeQuery executeUpdate executeLargeUpdate addBatch prepareStatement prepareCall "
     "createQuery createNativeQuery createSQLQuery createMutationQuery createSelectionQuery "
     "createNativeMutationQuery queryForObject queryForList queryForMap queryForRowSet queryForStream "
     "queryForLong queryForInt batchUpdate", Sink("java.taint.sql", SQL_MSG))
_add(METHOD_SINKS, "query execute update sql nativeQuery", Sink("java.taint.sql", SQL_MSG, receiver=SQL_RECEIVER))
_add(METHOD_SINKS, "unsafe", Sink("java.taint.sql", "JpaSort.unsafe with request data: map the sort key through an allow-list",
                                  args=None, receiver=re.compile(r"JpaSort$")))
# NoSQL: Mongo queries parsed from JSON strings.
_add(NEW_SINKS, "BasicQuery BasicUpdate", Sink("java.taint.nosql", NOSQL_MSG, args=None))
_add(METHOD_SINKS, "parse", Sink("java.taint.nosql", NOSQL_MSG, receiver=re.compile(r"^(?:Document|BasicDBObject|BsonDocument)$")))
_add(METHOD_SINKS, "where", Sink("java.taint.nosql", "request data used as a Mongo $where expression",
                                 args=(1,), receiver=re.compile(r"Criteria$")))
# Command execution.
_add(METHOD_SINKS, "exec", Sink("java.taint.command", CMD_MSG, args=None, receiver=re.compile(r"(?i)runtime")))
_add(NEW_SINKS, "ProcessBuilder", Sink("java.taint.command", CMD_MSG, args=None))
_add(METHOD_SINKS, "command", Sink("java.taint.command", CMD_MSG, args=None, receiver=re.compile(r"(?i)(pb|builder|process\w*)$")))
# Code / expression evaluation.
_add(METHOD_SINKS, "parseExpression parseRaw", Sink("java.taint.code", CODE_MSG))
_add(METHOD_SINKS, "eval", Sink("java.taint.code", CODE_MSG, receiver=re.compile(r"(?i)(engine|script\w*|nashorn|js)$")))
_add(METHOD_SINKS, "evaluate parse", Sink("java.taint.code", CODE_MSG, receiver=re.compile(r"(?i)(groovy\w*|shell)$")))
# Path traversal: where a path is opened, read, written or deleted.
# UrlResource/FileUrlResource over `path.toUri()` is how Spring download endpoints serve a file.
_add(NEW_SINKS, "FileInputStream FileOutputStream FileReader FileWriter RandomAccessFile FileSystemResource "
     "PathResource PrintWriter UrlResource FileUrlResource", Sink("java.taint.path", PATH_MSG))
_add(METHOD_SINKS, "readAllBytes readString readAllLines lines newInputStream newOutputStream newBufferedReader "
     "newBufferedWriter write writeString copy move delete deleteIfExists createFile createDirectories "
     "createDirectory newByteChannel walk list", Sink("java.taint.path", PATH_MSG, args=None, receiver=re.compile(r"^Files$")))
_add(METHOD_SINKS, "transferTo", Sink("java.taint.path", PATH_MSG))
_add(METHOD_SINKS, "getFile", Sink("java.taint.path", PATH_MSG, receiver=re.compile(r"^ResourceUtils$")))
_add(METHOD_SINKS, "getResource", Sink("java.taint.path", PATH_MSG, receiver=re.compile(r"(?i)resourceLoader|context$")))
_add(METHOD_SINKS, "delete renameTo createNewFile mkdirs listFiles",
     Sink("java.taint.path", PATH_MSG, args=(), receiver_tainted=True, receiver=re.compile(r"(?i)(file|f|target|dest\w*|path)$")))
_add(METHOD_SINKS, "copyToByteArray copyToString", Sink("java.taint.path", PATH_MSG, receiver=re.compile(r"^FileCopyUtils$")))
# SSRF: Spring HTTP clients, JDK clients, Apache HttpClient, Jsoup.
_add(METHOD_SINKS, "getForObject getForEntity postForObject postForEntity postForLocation exchange put "
     "patchForObject headForHeaders optionsForAllow", Sink("java.taint.ssrf", SSRF_MSG,
                                                           receiver=re.compile(r"(?i)rest\w*|template$")))
_add(METHOD_SINKS, "uri", Sink("java.taint.ssrf", SSRF_MSG))
_add(METHOD_SINKS, "baseUrl", Sink("java.taint.ssrf", SSRF_MSG))
_add(METHOD_SINKS, "create", Sink("java.taint.ssrf", SSRF_MSG, receiver=re.compile(r"^(?:WebClient|RestClient)$")))
_add(METHOD_SINKS, "newBuilder", Sink("java.taint.ssrf", SSRF_MSG, receiver=re.compile(r"^HttpRequest$")))
_add(METHOD_SINKS, "connect", Sink("java.taint.ssrf", SSRF_MSG, receiver=re.compile(r"^Jsoup$")))
_add(METHOD_SINKS, "openConnection openStream", Sink("java.taint.ssrf", SSRF_MSG, args=(), receiver_tainted=True))
_add(NEW_SINKS, "HttpGet HttpPost HttpPut HttpDelete HttpHead", Sink("java.taint.ssrf", SSRF_MSG))
# Open redirect.
_add(METHOD_SINKS, "sendRedirect", Sink("java.taint.redirect", REDIRECT_MSG))
_add(METHOD_SINKS, "location setLocation", Sink("java.taint.redirect", REDIRECT_MSG))
_add(NEW_SINKS, "RedirectView", Sink("java.taint.redirect", REDIRECT_MSG))
# Deserialization of request bytes.
_add(NEW_SINKS, "ObjectInputStream XMLDecoder", Sink("java.taint.deserialization", DESER_MSG))
_add(METHOD_SINKS, "fromXML", Sink("java.taint.deserialization", DESER_MSG, receiver=re.compile(r"(?i)xstream$")))
_add(METHOD_SINKS, "deserialize", Sink("java.taint.deserialization", DESER_MSG,
                                       receiver=re.compile(r"^(?:SerializationUtils|SerializationUtils\.\w+)$")))

# SnakeYAML before 2.0: `new Yaml().load(text)` builds whatever class a `!!` tag names
# (CVE-2022-1471); 2.x rejects global tags by default, SafeConstructor always did.
YAML_RECEIVER = re.compile(r"(?i)(?:^|\.)\w*yaml$|^newYaml\(\)$")
YAML_MSG = ("YAML from the request loaded with SnakeYAML's default constructor builds any class a `!!` tag names: "
            "use new Yaml(new SafeConstructor(new LoaderOptions())), or SnakeYAML 2.x, and load into plain maps or a DTO")

# XPath (javax.xml.xpath): the expression string is the first argument.
_add(METHOD_SINKS, "evaluate compile evaluateExpression", Sink(
    "java.taint.xpath", "XPath expression built from request data: bind values with an XPathVariableResolver ($name)",
    receiver=re.compile(r"(?i)(?:^|\.)(?:\w*xpath\w*|xp)$")))
# LDAP (JNDI DirContext, Spring LdapTemplate, UnboundID): the filter is the second argument.
_add(METHOD_SINKS, "search searchForObject", Sink(
    "java.taint.ldap", "LDAP filter built from request data: escape values (LdapEncoder.filterEncode) or use filter objects",
    args=(1,), receiver=re.compile(r"(?i)(?:^|\.)(?:\w*ctx|\w*context|\w*ldap\w*|\w*template|connection|conn)$")))
# JNDI lookups of request-chosen names load remote objects (ldap://, rmi://).
_add(METHOD_SINKS, "lookup", Sink(
    "java.taint.jndi", "JNDI lookup of a name from the request can load remote code: look up fixed names only",
    receiver=re.compile(r"(?i)(?:(?:^|\.)(?:\w*ctx|\w*context|jndi\w*)|Initial(?:Dir|Ldap)?Context\(.*\))$")))
# Trust boundary: request data stored in the HTTP session as if the server had decided it.
_add(METHOD_SINKS, "setAttribute putValue", Sink(
    "java.taint.trust-boundary", "request data stored in the session as if trusted: validate it before it enters the session",
    args=(1,), receiver=re.compile(r"(?i)(?:session|getSession\(\w*\))$")))

# Fast pre-filter: a file with none of these cannot hold a source worth tracking.
SOURCE_HINTS: tuple[str, ...] = (
    "@RequestParam", "@PathVariable", "@RequestBody", "@RequestHeader", "@CookieValue", "@ModelAttribute",
    "@RequestPart", "@MatrixVariable", "Mapping", "getParameter", "getHeader", "getQueryString",
    "getCookies", "getInputStream", "getReader", "queryParam", "pathVariable", "bodyToMono", "getPart",
)
