"""Taint data for PHP and Laravel: request sources, sinks and sanitizers.

Sinks name a function (`kind="func"`), a static/facade call (`Class::method`) or an
instance method (`->method`, optionally only on receivers whose text matches)."""

from __future__ import annotations

import re
from dataclasses import dataclass

SUPERGLOBALS = frozenset({"$_GET", "$_POST", "$_REQUEST", "$_COOKIE", "$_FILES", "$_SERVER"})
# Methods on an Illuminate Request (or FormRequest) that return client-controlled strings.
REQUEST_METHODS = frozenset({
    "input", "query", "post", "get", "all", "route", "header", "cookie", "json", "string", "str",
    "only", "except", "validated", "safe", "getContent", "fullUrl", "url", "path", "file", "server",
    "keys", "collect", "old", "userAgent", "getUri", "getRequestUri",
})
# Request methods whose value is cast or not client-text.
REQUEST_CLEAN = frozenset({"integer", "boolean", "float", "date", "enum", "user", "ip", "ips", "has", "filled",
                           "missing", "isMethod", "method", "expectsJson", "wantsJson", "ajax", "routeIs",
                           "is", "hasFile", "session", "validate"})
SANITIZER_FUNCS = frozenset({
    "intval", "floatval", "boolval", "basename", "htmlspecialchars", "htmlentities", "e", "escapeshellarg",
    "escapeshellcmd", "strip_tags", "urlencode", "rawurlencode", "in_array", "count", "strlen", "is_numeric",
    "ctype_digit", "ctype_alnum", "md5", "sha1", "hash", "password_hash", "password_verify", "abs", "min", "max",
    "array_key_exists", "isset", "empty", "json_encode", "filter_var", "uniqid", "route", "url", "action",
    "now", "auth", "hash_hmac", "sprintf_int",
})
SANITIZER_STATIC = frozenset({"Str::slug", "Str::uuid", "Str::random", "Hash::make", "Crypt::encryptString",
                              "Auth::id", "Auth::user", "Carbon::parse", "Str::ulid", "Purifier::clean"})
SANITIZER_METHODS = frozenset({"quote", "getKey", "id", "count", "exists", "isValid", "getClientOriginalExtension",
                               "hashName", "store", "storeAs"})


@dataclass(frozen=True)
class Sink:
    kind: str
    names: frozenset[str]
    call: str  # "func", "static" (Class::m, names hold "Class::m"), "method" (->m)
    arg: int = 0
    receiver: re.Pattern[str] | None = None
    min_level: int = 2


def _s(*names: str) -> frozenset[str]:
    return frozenset(names)


SINKS: tuple[Sink, ...] = (
    Sink("sql", _s("DB::select", "DB::selectOne", "DB::statement", "DB::unprepared", "DB::insert", "DB::update",
                   "DB::delete", "DB::raw", "DB::cursor", "DB::scalar", "DB::selectResultSets"), "static", min_level=1),
    Sink("sql", _s("whereRaw", "orWhereRaw", "havingRaw", "orHavingRaw", "orderByRaw", "selectRaw", "groupByRaw",
                   "fromRaw", "raw", "joinRaw"), "method", min_level=1),
    Sink("sql", _s("whereRaw", "orderByRaw", "selectRaw", "havingRaw", "groupByRaw", "fromRaw"), "static", min_level=1),
    Sink("sql", _s("query", "exec", "prepare", "multi_query", "real_query"), "method",
         receiver=re.compile(r"pdo|db|conn|mysqli|dbh|database|connection|getPdo", re.I), min_level=1),
    Sink("sql", _s("mysqli_query", "mysqli_multi_query", "pg_query", "mysqli_real_query"), "func", arg=1, min_level=1),
    Sink("command", _s("exec", "shell_exec", "system", "passthru", "popen", "proc_open", "pcntl_exec"), "func",
         min_level=1),
    Sink("command", _s("Process::run", "Process::start", "Process::fromShellCommandline", "Process::pipe"), "static",
         min_level=1),
    Sink("command", _s("fromShellCommandline"), "method", min_level=1),
    Sink("code", _s("eval", "assert", "create_function"), "func", min_level=1),
    Sink("code", _s("call_user_func", "call_user_func_array"), "func"),
    Sink("deserialize", _s("unserialize"), "func", min_level=1),
    Sink("xss", _s("response"), "func"),
    Sink("xss", _s("make"), "method", receiver=re.compile(r"^response\(\)$")),
    Sink("redirect", _s("redirect"), "func"),
    Sink("redirect", _s("to", "away"), "method", receiver=re.compile(r"^redirect\(\)$|Redirect")),
    Sink("redirect", _s("Redirect::to", "Redirect::away"), "static"),
    Sink("path", _s("Storage::download", "Storage::get", "Storage::put", "Storage::delete", "Storage::readStream",
                    "Storage::path", "Storage::response", "File::get", "File::delete", "File::put"), "static"),
    Sink("path", _s("download", "get", "put", "delete", "readStream", "response", "path"), "method",
         receiver=re.compile(r"Storage::|->disk\(|\$disk|\$storage", re.I)),
    Sink("path", _s("download", "file"), "method", receiver=re.compile(r"^response\(\)$")),
    Sink("path", _s("file_get_contents", "fopen", "readfile", "unlink", "file_put_contents", "file", "include",
                    "require", "include_once", "require_once", "opendir", "scandir", "copy", "rename"), "func"),
    Sink("ssrf", _s("Http::get", "Http::post", "Http::put", "Http::patch", "Http::delete", "Http::head",
                    "Http::send"), "static"),
    Sink("ssrf", _s("get", "post", "put", "patch", "delete", "head", "send"), "method",
         receiver=re.compile(r"^Http::|^\$(?:this->)?(?:http|client|guzzle|httpClient)\b")),
    Sink("ssrf", _s("request", "requestAsync"), "method", arg=1,
         receiver=re.compile(r"^\$(?:this->)?(?:http|client|guzzle|httpClient)\b")),
    Sink("ssrf", _s("curl_init"), "func"),
    Sink("ssrf", _s("curl_setopt"), "func", arg=2),
)

GUARDABLE_KINDS = frozenset({"redirect", "path", "ssrf", "code"})
GUARD_WORDS = ("in_array", "str_starts_with", "preg_match", "array_key_exists", "isset(", "allowed", "Allowed",
               "ALLOWED", "whitelist", "allowlist", "parse_url", "realpath", "isValidUrl", "Str::startsWith",
               "str_contains", "host", "Host")
