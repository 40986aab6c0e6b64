"""Taint data for Go web code (net/http, gin, echo, gorilla/mux; database/sql, sqlx, GORM).

Methods are matched on the called field name; `receivers` narrows a sink to package or
variable names where the bare name is ambiguous (Get, Exec)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Calls whose result is request input: gin, echo, net/http, gorilla/mux, chi, fiber.
SOURCE_CALL = re.compile(
    r"\.(?:Query|DefaultQuery|GetQuery|QueryArray|QueryMap|Param|Params\.ByName|PostForm|DefaultPostForm|"
    r"GetPostForm|PostFormArray|PostFormMap|GetHeader|Cookie|FormValue|PostFormValue|QueryParam|QueryParams|"
    r"FormParams|PathValue|PathParam|Referer|UserAgent|GetRawData|URLParam|Params)\("
    r"|^mux\.Vars\(|^chi\.URLParam\(|\.URL\.Query\(\)|\.Header\.Get\(|\.Form\.Get\(|\.PostForm\.Get\("
)
# Selectors on the request that the client controls.
SOURCE_SELECTOR = re.compile(r"\.(?:URL\.(?:Path|RawQuery|RawPath|Fragment)|Body|Form|PostForm|Host|RequestURI|Header|MultipartForm)$")
# Methods that decode request input into the variable whose address they get.
BIND_METHODS = frozenset({
    "ShouldBind", "ShouldBindJSON", "ShouldBindQuery", "ShouldBindUri", "ShouldBindWith", "ShouldBindXML",
    "ShouldBindYAML", "ShouldBindHeader", "Bind", "BindJSON", "BindQuery", "BindUri", "BindXML",
    "BindHeader", "BindWith", "BodyParser", "QueryParser",
})
DECODE_METHODS = frozenset({"Decode", "Unmarshal"})

SANITIZERS = frozenset({
    "strconv.Atoi", "strconv.ParseInt", "strconv.ParseUint", "strconv.ParseFloat", "strconv.ParseBool",
    "filepath.Base", "path.Base", "url.QueryEscape", "url.PathEscape", "html.EscapeString",
    "template.HTMLEscapeString", "template.JSEscapeString", "uuid.Parse", "uuid.MustParse", "len",
    "strconv.Quote", "pq.QuoteIdentifier", "bcrypt.GenerateFromPassword", "bcrypt.CompareHashAndPassword",
})


@dataclass(frozen=True)
class Sink:
    """`kind` -> detector go.taint.<kind>; `arg` is the checked argument index."""

    kind: str
    methods: frozenset[str]
    receivers: frozenset[str] | None = None  # None: any receiver
    arg: int = 0
    min_level: int = 2


def _s(*names: str) -> frozenset[str]:
    return frozenset(names)


SINKS: tuple[Sink, ...] = (
    Sink("sql", _s("Query", "QueryRow", "Exec", "Prepare", "Queryx", "QueryRowx", "MustExec", "NamedExec",
                   "NamedQuery", "Raw", "Where", "Or", "Not", "Order", "Group", "Having", "Joins", "Preparex"),
         min_level=1),
    Sink("sql", _s("QueryContext", "QueryRowContext", "ExecContext", "PrepareContext", "QueryxContext",
                   "QueryRowxContext", "MustExecContext", "NamedExecContext"), arg=1, min_level=1),
    Sink("sql", _s("Select", "Get"), _s("db", "sqlx", "tx", "DB", "conn", "store", "repo"), arg=1, min_level=1),
    Sink("xss", _s("HTML", "JS", "URL", "HTMLAttr", "CSS", "JSStr", "Srcset"), _s("template"), min_level=1),
    Sink("xss", _s("HTML", "HTMLBlob"), None, arg=1),
    Sink("redirect", _s("Redirect"), _s("http"), arg=2),
    Sink("redirect", _s("Redirect"), None, arg=1),
    Sink("path", _s("Open", "OpenFile", "ReadFile", "WriteFile", "Create", "Remove", "RemoveAll", "ReadDir",
                    "Mkdir", "MkdirAll"), _s("os", "ioutil")),
    Sink("path", _s("ServeFile"), _s("http"), arg=2),
    Sink("path", _s("File", "FileAttachment", "Attachment", "SendFile", "Download"), None),
    Sink("ssrf", _s("Get", "Post", "Head", "PostForm"), _s("http", "client", "httpClient", "c.client", "h.client")),
    Sink("ssrf", _s("NewRequest"), _s("http"), arg=1),
    Sink("ssrf", _s("NewRequestWithContext"), _s("http"), arg=2),
)

SHELLS = frozenset({"sh", "bash", "/bin/sh", "/bin/bash", "zsh", "cmd", "cmd.exe", "powershell", "pwsh"})
GUARDABLE_KINDS = frozenset({"redirect", "path", "ssrf"})
GUARD_WORDS = ("HasPrefix", "HasSuffix", "Contains", "IsAbs", "IsLocal", "filepath.Rel", ".Host", "Hostname",
               "allowed", "Allowed", "whitelist", "allowlist", "Allowlist", "valid", "Valid", "safe", "Safe")
