"""Sources, sinks and sanitizers for JS/TS dataflow, per framework, as data.

The taint engine (`taint.py`) reads only these tables; adding a driver or a framework's
request API is adding names here. Taint is a bit set: a value may be an attacker-chosen
string (STR), may be an attacker-shaped object (OBJ: JSON bodies and `qs`-parsed query
strings can carry `{ "$ne": null }`), may be the whole unfiltered body (WHOLE: mass
assignment), and may start with a fixed origin or path (FIXED: the attacker cannot pick
the host of a URL built as `https://api.example.com/${id}`).
"""

from __future__ import annotations

import re

STR = 1
OBJ = 2
WHOLE = 4
FIXED = 8
HTML = 16  # built from a literal holding markup: `<p>${name}</p>`
TAINT = STR | OBJ | WHOLE

# -- sources ---------------------------------------------------------------------------------

# Names a request object goes by: Express/Koa `req`, Fastify/Next `request`, Koa `ctx`.
REQUEST_NAMES: frozenset[str] = frozenset({"req", "request", "ctx", "context"})

# request.<field> -> taint. `params` are strings in every router; bodies and query strings
# are parsed into objects (Express `qs`, JSON bodies).
REQUEST_FIELDS: dict[str, int] = {
    "query": STR | OBJ | WHOLE, "body": STR | OBJ | WHOLE, "params": STR,
    "headers": STR, "cookies": STR, "signedCookies": STR, "files": STR | OBJ, "file": STR | OBJ,
    "originalUrl": STR, "url": STR, "path": STR, "hostname": STR, "host": STR,
    "querystring": STR, "search": STR, "rawBody": STR,
    "nextUrl": STR,  # request.nextUrl.searchParams.get(...)
}
# Archive libraries whose whole-archive extraction wrote entries named `../x` outside the
# target folder before the version given (zip slip): module -> (extract methods, fixed in).
UNSAFE_EXTRACTORS: dict[str, tuple[frozenset[str], str]] = {
    "adm-zip": (frozenset({"extractAllTo", "extractAllToAsync", "extractEntryTo"}), "0.4.11"),
}
# Servers whose message listeners receive a network client's data (see Flow._network_message_inputs),
# and the events of those servers that carry no client message.
MESSAGE_SERVER_MODULES: frozenset[str] = frozenset({"socket.io", "ws", "net", "tls", "dgram", "xmlrpc", "websocket"})
LIFECYCLE_EVENTS: frozenset[str] = frozenset(
    {"connection", "connect", "disconnect", "disconnecting", "error", "close", "end", "listening", "open",
     "upgrade", "headers", "ping", "pong", "NotFound", "timeout", "drain", "ready", "secureConnection"}
)
# A GraphQL resolver map's root types: their functions take the client's arguments second.
GRAPHQL_ROOT_TYPES: frozenset[str] = frozenset({"Query", "Mutation", "Subscription"})
# Fields of an uploaded file (multer's `req.file` / `req.files[i]`) that the server chose:
# where it saved the upload and how large it is. `originalname` and `mimetype` stay input.
SERVER_FILE_FIELDS: frozenset[str] = frozenset({"path", "destination", "size"})
# Koa: ctx.request.body / ctx.request.query
NESTED_REQUEST: frozenset[str] = frozenset({"request", "req"})

# Methods on the request object returning input: Express `req.get/header/param`, Fetch API
# `request.json()/formData()/text()` (Next.js route handlers), Koa `ctx.get`.
REQUEST_METHODS: dict[str, int] = {
    "get": STR, "header": STR, "param": STR,
    "json": STR | OBJ | WHOLE, "formData": STR | OBJ | WHOLE, "text": STR,
}

# Names that hold user input wherever they appear: Next.js page props / URLSearchParams,
# server-action FormData, and browser locations.
INPUT_NAMES: dict[str, int] = {"searchParams": STR, "formData": STR}
# Method calls on those that read a value.
INPUT_METHODS: frozenset[str] = frozenset({"get", "getAll"})

# Function parameters that are user input by name (Next.js `params`/`searchParams` props,
# server actions' `formData`, `params` of route handlers' second argument).
INPUT_PARAMS: dict[str, int] = {"params": STR, "searchParams": STR, "formData": STR}

# NestJS parameter decorators -> taint of the parameter.
NEST_DECORATORS: dict[str, int] = {
    "Param": STR, "Query": STR | OBJ, "Body": STR | OBJ, "Headers": STR, "Req": 0, "Request": 0,
}

# Browser-side sources (DOM XSS, client-side open redirect).
DOM_SOURCES: frozenset[tuple[str, ...]] = frozenset(
    {("location", "search"), ("location", "hash"), ("location", "href"),
     ("window", "location", "search"), ("window", "location", "hash"), ("window", "location", "href"),
     ("document", "URL"), ("document", "referrer"), ("document", "location", "href"),
     ("document", "documentURI")}
)

# Angular ActivatedRoute snapshot fields that hold the URL's parts.
ANGULAR_ROUTE_FIELDS: frozenset[str] = frozenset({"queryParams", "params", "fragment", "paramMap", "queryParamMap", "url"})

# -- propagation -----------------------------------------------------------------------------

# Methods whose result is a string built from their receiver (or arguments).
STRING_METHODS: frozenset[str] = frozenset(
    {"trim", "trimStart", "trimEnd", "toLowerCase", "toUpperCase", "toString", "concat", "replace",
     "replaceAll", "slice", "substring", "substr", "padStart", "padEnd", "normalize", "join",
     "toLocaleLowerCase", "toLocaleUpperCase", "repeat", "at", "charAt"}
)
# Functions whose result carries their arguments' taint.
PROPAGATORS: frozenset[tuple[str, ...]] = frozenset(
    {("path", "join"), ("path", "resolve"), ("path", "normalize"), ("path", "format"),
     ("util", "format"), ("format",), ("decodeURIComponent",), ("decodeURI",), ("unescape",),
     ("Buffer", "from"), ("JSON", "stringify"), ("JSON", "parse"), ("String", "raw"),
     ("url", "resolve"), ("url", "format"), ("url", "parse"), ("querystring", "parse"), ("qs", "parse"),
     ("Object", "fromEntries"), ("Object", "assign"), ("Object", "values"), ("Object", "entries"),
     ("Array", "from"), ("atob",)}
)

# -- sanitizers ------------------------------------------------------------------------------

ALL_KINDS: frozenset[str] = frozenset(
    {"sql", "nosql", "command", "code", "path", "ssrf", "redirect", "xss", "regex",
     "mass-assignment", "prototype-pollution", "xpath", "ldap", "trust", "prompt"}
)
# Calls whose result is safe for the kinds listed (casts, escapers, schema parsing).
SANITIZERS: dict[str, frozenset[str]] = {
    "parseInt": ALL_KINDS, "parseFloat": ALL_KINDS, "Number": ALL_KINDS, "Boolean": ALL_KINDS,
    "BigInt": ALL_KINDS, "isNaN": ALL_KINDS, "Math": ALL_KINDS, "isValidObjectId": ALL_KINDS,
    "parse": ALL_KINDS, "safeParse": ALL_KINDS, "parseAsync": ALL_KINDS, "validateSync": ALL_KINDS,
    "plainToInstance": frozenset({"mass-assignment", "nosql"}),
    "escape": frozenset({"sql", "xss", "regex"}), "escapeId": frozenset({"sql"}),
    "escapeLiteral": frozenset({"sql"}), "escapeIdentifier": frozenset({"sql"}),
    "quote": frozenset({"command"}), "escapeShellArg": frozenset({"command"}),
    "basename": frozenset({"path"}),
    "sanitize": frozenset({"xss", "nosql", "mass-assignment", "prototype-pollution"}),
    "sanitizeHtml": frozenset({"xss"}), "escapeHtml": frozenset({"xss"}), "encode": frozenset({"xss"}),
    "encodeURIComponent": frozenset({"xss", "ssrf", "redirect", "path", "command"}),
    "escapeRegExp": frozenset({"regex"}), "escapeStringRegexp": frozenset({"regex"}),
    "escapeRegex": frozenset({"regex"}), "pick": frozenset({"mass-assignment", "prototype-pollution"}),
    "String": frozenset({"nosql", "mass-assignment", "prototype-pollution"}),
    "escapeFilter": frozenset({"ldap"}), "escapeLdapFilter": frozenset({"ldap"}),
    "escapeLDAPFilter": frozenset({"ldap"}), "escapeXPath": frozenset({"xpath"}),
}
# `.parse` on these is not validation.
NOT_VALIDATORS: frozenset[str] = frozenset({"JSON", "qs", "querystring", "url", "path", "yaml", "YAML", "URL"})

# -- sinks -----------------------------------------------------------------------------------

# SQL: method name -> which argument holds the SQL text.
SQL_METHODS: frozenset[str] = frozenset(
    {"query", "execute", "raw", "whereRaw", "orWhereRaw", "havingRaw", "orderByRaw", "joinRaw",
     "fromRaw", "groupByRaw", "$queryRawUnsafe", "$executeRawUnsafe", "unsafe", "literal"}
)
# Receivers that are not databases even though they have a `query`/`execute`.
NOT_SQL_RECEIVERS: frozenset[str] = frozenset(
    {"req", "request", "ctx", "router", "url", "qs", "querystring", "$", "document", "window",
     "graphql", "apollo", "client.graphql", "command", "cmd", "useQuery", "queryClient"}
)
# sqlite3 / better-sqlite3: only on a receiver that looks like a database handle.
SQLITE_METHODS: frozenset[str] = frozenset({"prepare", "all", "get", "run", "exec", "each"})
DB_RECEIVERS: frozenset[str] = frozenset({"db", "database", "sqlite", "conn", "connection", "this.db"})
# pg-promise's query methods (`db.one(sql)`, `db.manyOrNone(sql, values)`): SQL text first,
# judged on a database handle (or a task/transaction's `t`) of a file or project using pg-promise.
PG_PROMISE_METHODS: frozenset[str] = frozenset(
    {"none", "one", "many", "any", "oneOrNone", "manyOrNone", "result", "multi", "multiResult", "each", "map"}
)
PG_PROMISE_RECEIVERS: frozenset[str] = DB_RECEIVERS | {"t", "tx", "task", "pgp", "client"}
# Query builders where only a string-built first argument is injection (TypeORM, Knex).
BUILDER_WHERE: frozenset[str] = frozenset({"where", "andWhere", "orWhere", "having", "andHaving", "orHaving"})

# Supabase / PostgREST query builders: methods taking a raw filter string in PostgREST syntax
# (`.or('name.eq.x,id.eq.y')`): input spliced into it adds or rewrites conditions.
POSTGREST_FILTERS: frozenset[str] = frozenset({"or"})
POSTGREST_MODULES: frozenset[str] = frozenset({"@supabase/supabase-js", "@supabase/ssr", "@supabase/postgrest-js",
                                               "@supabase/auth-helpers-nextjs"})

# MongoDB / Mongoose filter methods (first argument is the filter).
MONGO_METHODS: frozenset[str] = frozenset(
    {"find", "findOne", "findOneAndUpdate", "findOneAndDelete", "findOneAndRemove",
     "findOneAndReplace", "updateOne", "updateMany", "deleteOne", "deleteMany", "countDocuments",
     "replaceOne", "exists", "distinct", "remove", "count"}
)

COMMAND_MODULES: frozenset[str] = frozenset({"child_process", "shelljs", "execa"})
SHELL_FUNCS: frozenset[str] = frozenset({"exec", "execSync", "execCommand", "execaCommand", "execaCommandSync"})
SPAWN_FUNCS: frozenset[str] = frozenset({"spawn", "spawnSync", "execFile", "execFileSync", "fork", "execa", "execaSync"})

CODE_FUNCS: frozenset[tuple[str, ...]] = frozenset(
    {("eval",), ("Function",), ("setTimeout",), ("setInterval",), ("setImmediate",),
     ("vm", "runInNewContext"), ("vm", "runInThisContext"), ("vm", "runInContext"),
     ("vm", "compileFunction"), ("vm", "Script"), ("Script",),
     ("ejs", "render"), ("ejs", "compile"), ("pug", "render"), ("pug", "compile"),
     ("Handlebars", "compile"), ("handlebars", "compile"), ("nunjucks", "renderString"),
     ("_", "template"), ("lodash", "template"), ("require",), ("import",),
     ("safe-eval",), ("safeEval",), ("static-eval",), ("notevil",), ("expression-eval", "eval")}
)
# Sandboxes that do not sandbox (vm2 is deprecated with published escapes; node:vm is not a
# security boundary): `new VM().run(code)`, `new NodeVM().run(code)`, `vm.runInContext`.
SANDBOX_RECEIVERS = re.compile(r"(?i)^(?:vm|nodevm|sandbox|new (?:VM|NodeVM)\(.*\))$")
# Modules whose instances run code: a variable made by `new VM()` / `new NodeVM()` of these is a
# sandbox whatever its name (`const box = new NodeVM(); box.run(code)`).
SANDBOX_MODULES: frozenset[str] = frozenset({"vm2"})
# mathjs expression parsers, and the version from which they stopped compiling expressions with
# JavaScript's eval (3.x shipped several sandbox escapes that run arbitrary code).
MATH_EVALUATORS: frozenset[str] = frozenset({"evaluate", "eval", "compile", "parse"})
MATHJS_EVAL_FREE = "4.0.0"
# String methods that turn a string argument into a RegExp (`s.match(q)` is `s.match(new RegExp(q))`).
# `search` is left out: search-engine clients (Algolia, Fuse, MiniSearch) take the user's query there.
REGEX_STRING_METHODS: frozenset[str] = frozenset({"match", "matchAll"})
# serialize-javascript escapes <, > and / for embedding in a page unless called with `unsafe: true`.
HTML_SERIALIZERS: frozenset[str] = frozenset({"serialize-javascript"})
# Headless browsers sent to a URL: SSRF from inside the server (puppeteer, playwright).
BROWSER_PAGES = re.compile(r"(?i)^(?:page|tab|newPage|browserPage|\w*page)$")
# Archive entries whose names the archive's author chose (zip slip): module -> entry fields.
ARCHIVE_MODULES: frozenset[str] = frozenset({"unzipper", "adm-zip", "yauzl", "tar", "tar-stream", "jszip",
                                             "decompress", "extract-zip", "unzip-stream", "node-stream-zip"})
ARCHIVE_ENTRY_NAMES: frozenset[str] = frozenset({"entry", "file", "header", "zipEntry", "fileEntry"})
ARCHIVE_ENTRY_FIELDS: frozenset[str] = frozenset({"path", "entryName", "fileName", "name"})

FS_METHODS: frozenset[str] = frozenset(
    {"readFile", "readFileSync", "writeFile", "writeFileSync", "appendFile", "appendFileSync",
     "createReadStream", "createWriteStream", "unlink", "unlinkSync", "rm", "rmSync", "rmdir",
     "readdir", "readdirSync", "stat", "statSync", "lstat", "access", "accessSync", "open",
     "openSync", "mkdir", "mkdirSync", "copyFile", "copyFileSync", "rename", "renameSync",
     "readlink", "realpath", "truncate", "existsSync", "opendir", "cp", "cpSync"}
)
FS_RECEIVERS: frozenset[str] = frozenset({"fs", "fsp", "fsPromises", "promises", "fse", "fs-extra", "graceful-fs"})
# Response methods that read a file; safe when given a `root` option (send rejects `..`).
SEND_FILE_METHODS: frozenset[str] = frozenset({"sendFile", "download"})

HTTP_CLIENTS: frozenset[str] = frozenset(
    {"axios", "got", "ky", "superagent", "needle", "request", "undici", "node-fetch", "http", "https",
     "httpService", "phin", "bent"}
)
HTTP_METHODS: frozenset[str] = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "request", "fetch", "stream"}
)
FETCH_FUNCS: frozenset[str] = frozenset({"fetch", "axios", "got", "ky", "needle", "request", "superagent", "$fetch", "ofetch",
                                        "wkhtmltopdf"})
# Packages whose default export is a fetch function: `const fetch = require('node-fetch')`
# resolves the call `fetch(u)` to the module's name.
FETCH_MODULES: frozenset[str] = frozenset({"node-fetch", "cross-fetch", "isomorphic-fetch", "isomorphic-unfetch",
                                          "make-fetch-happen", "unfetch", "got", "axios", "needle", "superagent", "ky"})

# Redirect calls: receiver-name, method.
REDIRECT_RECEIVERS: frozenset[str] = frozenset({"res", "response", "reply", "ctx", "NextResponse", "Response", "router"})
REDIRECT_METHODS: frozenset[str] = frozenset({"redirect", "push", "replace"})
LOCATION_METHODS: frozenset[str] = frozenset({"assign", "replace"})

# Response writers that send HTML (Express sets text/html for strings).
HTML_SENDERS: frozenset[str] = frozenset({"send", "write", "end"})
RESPONSE_NAMES: frozenset[str] = frozenset({"res", "response", "reply"})
# Router methods registering a handler after a path: `app.get('/x', (rq, rs) => ...)` names the
# request and response whatever the handler calls them.
ROUTE_VERBS: frozenset[str] = frozenset({"get", "post", "put", "patch", "delete", "del", "all", "options", "head", "use"})
# Parameter names that are not a request even in a handler's first place (error-first callbacks).
NOT_REQUEST_ALIASES: frozenset[str] = frozenset({"err", "error", "e", "_", "next", "done", "cb", "callback"})

REGEX_CTORS: frozenset[str] = frozenset({"RegExp"})

DEEP_MERGE: frozenset[tuple[str, ...]] = frozenset(
    {("_", "merge"), ("_", "mergeWith"), ("_", "defaultsDeep"), ("_", "set"), ("_", "setWith"),
     ("lodash", "merge"), ("lodash", "set"), ("lodash", "defaultsDeep"), ("lodash", "mergeWith"),
     ("merge",), ("deepmerge",), ("deepMerge",), ("mergeDeep",), ("defaultsDeep",), ("setWith",),
     ("lodash.merge",), ("dset",), ("dotProp", "set"), ("$", "extend"), ("jQuery", "extend"),
     ("objectPath", "set")}
)

# Writes that take a whole record: (method, index of the data argument, data key inside an
# options object or "").
MASS_ASSIGN: dict[str, tuple[int, str]] = {
    "create": (0, "data"), "createMany": (0, "data"), "insertMany": (0, ""), "insert": (0, ""),
    "update": (0, "data"), "upsert": (0, "create"), "save": (0, ""), "set": (0, ""),
    "findByIdAndUpdate": (1, ""), "findOneAndUpdate": (1, ""), "updateOne": (1, ""),
    "updateMany": (1, ""), "build": (0, ""), "merge": (1, ""), "preload": (0, ""),
}

# Fields of a user record that grant privileges: a write must never take them from the client.
PRIVILEGE_FIELD = re.compile(r"(?i)^(?:role|roles|user_?role|is_?admin|admin|is_?super_?user|super_?user|is_?staff|"
                             r"permissions?|privileges?|access_?level|scopes)$")

# Fields of a record naming whose it is (its owner or tenant): a write that takes them from the
# client lets any caller file records under another user or organisation.
OWNER_FIELD = re.compile(r"(?i)^(?:org(?:ani[sz]ation)?_?id|tenant_?id|team_?id|workspace_?id|owner_?id|user_?id|"
                         r"created_?by|author_?id|account_?id)$")

# Methods that put their arguments into the receiver (arrays, maps, sets, form bodies, string
# builders): the receiver then holds that input.
CONTAINER_ADDERS: frozenset[str] = frozenset({"push", "unshift", "splice", "set", "add", "append"})
# Programs that run their `-c` argument as a shell script: spawn("sh", ["-c", cmd]).
SHELLS: frozenset[str] = frozenset({"sh", "bash", "zsh", "dash", "ksh", "cmd", "cmd.exe", "powershell", "pwsh",
                                    "/bin/sh", "/bin/bash", "/usr/bin/env"})

# XPath engines: module (or receiver) -> methods taking an expression as first argument.
XPATH_MODULES: frozenset[str] = frozenset({"xpath", "xpath.js", "fontoxpath", "xpath-ts"})
XPATH_METHODS: frozenset[str] = frozenset({"select", "select1", "evaluate", "parse", "useNamespaces",
                                           "evaluateXPath", "evaluateXPathToNodes", "evaluateXPathToFirstNode",
                                           "evaluateXPathToString", "evaluateXPathToBoolean"})
# libxmljs documents: doc.find(expr) / doc.get(expr), judged only for expressions built from input.
LIBXML_XPATH: frozenset[str] = frozenset({"find", "get"})
# LDAP clients (ldapjs, ldapts): client.search(base, { filter }).
LDAP_MODULES: frozenset[str] = frozenset({"ldapjs", "ldapts", "activedirectory", "activedirectory2", "ldap-authentication"})
# Objects holding the server-side session (express-session, cookie-session, koa-session, fastify).
SESSION_FIELDS: frozenset[str] = frozenset({"session"})
# LLM clients: receivers whose .create() sends a prompt (OpenAI chat/responses, Anthropic
# messages) and the option keys holding the system prompt.
LLM_RECEIVERS: frozenset[str] = frozenset({"completions", "messages", "responses"})
LLM_SYSTEM_KEYS: tuple[str, ...] = ("system", "instructions")
