r"""Directory listing and exposed folders in nginx and Apache httpd configuration.

- Listing: nginx `autoindex on;` (and the ngx-fancyindex module's `fancyindex on;`) in the
  http, server or location context; Apache `Options` naming `Indexes`/`+Indexes` or `All`
  (which includes Indexes) in the server config, a section or `.htaccess`. Both are off by
  default, so only a directive that turns listing on is reported.
- Status pages: nginx `stub_status`, Apache `SetHandler server-status|server-info`, open to all.
- Version banners: nginx `server_tokens on;`, Apache `ServerTokens Full|OS`, `ServerSignature On`.
- Sensitive regex locations: an nginx `location ~ /\.` or `~ \.(log|sql|bak|env|git...)` block that
  neither denies nor returns an error (such a block exists to refuse those files).
- Exposed folders: an nginx `root`/`alias` or an Apache `Alias`/`AliasMatch`/`DocumentRoot`
  whose target is a log folder (a `log`/`logs` path segment, a `.log` file) or a dot-folder
  of a repository or of credentials (`.git`, `.svn`, `.ssh`, `.aws`, `.env`, ...).

A directive in a block that already keeps visitors out (nginx `deny all`, `internal`,
`auth_basic`/`auth_request`; Apache `Require` other than `all granted`, `AuthType`,
`Deny from all`) is not reported: listing a folder only its operators reach is a choice.
Comments (`#` to the end of the line) are dropped before reading, so a commented-out
directive is clean. The dialect comes from the file's name, else from its text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from auditor.scan.interface import Check, Hit, SourceFile

LISTING = "conf.directory-listing"
EXPOSED = "conf.exposed-folder"
STATUS = "conf.status-page"
BANNER = "conf.version-banner"


@dataclass
class Block:
    r"""A brace block (nginx) or a `<Section>` (Apache), with the directives directly in it.
    `head` is the words that open it (`location ~ \.log$`, `<Location /server-status>`)."""

    parent: Block | None = None
    head: list[str] = field(default_factory=list)
    line: int = 0  # where the block opens
    directives: list[tuple[str, list[str], int]] = field(default_factory=list)  # (name, args, line)

    def chain(self) -> Iterable[Block]:
        block: Block | None = self
        while block is not None:
            yield block
            block = block.parent


# A line up to its comment: quoted strings, other characters, and `#` inside a word (nginx and
# Apache start a comment only with a `#` that begins a word; a regex location keeps its quotes).
_UNTIL_COMMENT = re.compile(r"""(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^"'#]|(?<=[^\s;{}])#|["'])*""")


def _strip_comment(line: str) -> str:
    """The line without its `#` comment."""
    m = _UNTIL_COMMENT.match(line)
    return m.group(0) if m else line


_NGINX_TOKEN = re.compile(r"""\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[{};]|[^\s{};"']+)""")


def _unquote(word: str) -> str:
    return word[1:-1] if len(word) >= 2 and word[0] == word[-1] and word[0] in "\"'" else word


def _nginx_blocks(text: str) -> list[Block]:
    """Every block of an nginx file (the top level first), directives with 1-based lines."""
    top = Block()
    blocks = [top]
    current = top
    words: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), 1):
        line = _strip_comment(raw)
        for m in _NGINX_TOKEN.finditer(line):
            token = m.group(1)
            if token == ";":
                if words:
                    current.directives.append((words[0], [_unquote(w) for w in words[1:]], start))
                words = []
            elif token == "{":
                current = Block(current, [_unquote(w) for w in words], start if words else number)
                blocks.append(current)
                words = []
            elif token == "}":
                current = current.parent or top
                words = []
            else:
                if not words:
                    start = number
                words.append(token)
    return blocks


_SECTION_OPEN = re.compile(r"^\s*<\s*([A-Za-z]+)\b[^>]*>")
_SECTION_CLOSE = re.compile(r"^\s*<\s*/\s*([A-Za-z]+)\s*>")


def _apache_blocks(text: str) -> list[Block]:
    """Every section of an Apache file (the server config first). `<IfModule>`/`<IfDefine>`
    wrappers are transparent: their directives belong to the section around them."""
    top = Block()
    blocks = [top]
    stack: list[tuple[str, Block]] = []
    current = top
    for number, raw in enumerate(text.splitlines(), 1):
        line = _strip_comment(raw).strip()
        if not line:
            continue
        closing = _SECTION_CLOSE.match(line)
        if closing:
            if stack:
                stack.pop()
                current = stack[-1][1] if stack else top
            continue
        opening = _SECTION_OPEN.match(line)
        if opening:
            name = opening.group(1).lower()
            block = current if name.startswith("if") else Block(current, line.strip("<>").split(), number)
            if block is not current:
                blocks.append(block)
            stack.append((name, block))
            current = block
            continue
        words = [_unquote(w) for w in line.split()]
        current.directives.append((words[0].lower(), words[1:], number))
    return blocks


def _nginx_guarded(block: Block) -> bool:
    for b in block.chain():
        for name, args, _ in b.directives:
            value = " ".join(args).lower()
            if (name == "deny" and value == "all") or name in ("internal", "auth_request") or \
                    (name == "auth_basic" and value != "off") or (name == "return" and value[:3] in ("403", "404", "444")):
                return True
    return False


def _apache_guarded(block: Block) -> bool:
    for b in block.chain():
        for name, args, _ in b.directives:
            value = " ".join(args).lower()
            if (name == "require" and value != "all granted") or name == "authtype" or \
                    (name == "deny" and value == "from all"):
                return True
    return False


_LOG_SEGMENT = re.compile(r"(?i)(?:^|/)(?:logs?|\w[\w.-]*\.log)/?$|(?:^|/)logs?/")
# Dot-folders that hold a repository's history or credentials (`.well-known` is meant to be served).
_DOT_SEGMENT = re.compile(r"(?i)(?:^|/)\.(?:git|svn|hg|bzr|ssh|aws|gnupg|docker|kube|env)(?:/|$)")


def _exposed(target: str) -> str:
    """What a served folder holds that must not be served ('' when nothing is known)."""
    if "$" in target:  # a variable decides the path; nothing to read
        return ""
    if _LOG_SEGMENT.search(target):
        return "log files"
    dot = _DOT_SEGMENT.search(target)
    if dot:
        return f"a dot-folder ({dot.group(0).strip('/')})"
    return ""


# A regex location aimed at dot-files or at logs, dumps and backups: it exists to keep them out,
# so one that neither denies nor returns an error serves them.
_SENSITIVE_LOCATION = re.compile(r"(?i)/\\\.|\\\.\(?[^)$]*\b(?:env|git|svn|hg|htaccess|htpasswd|log|sql|bak|backup|old|swp|dump)\b")


def _sensitive_location(block: Block) -> bool:
    head = block.head
    pattern = " ".join(head[2:])
    return len(head) >= 3 and head[0] == "location" and head[1] in ("~", "~*") and \
        bool(_SENSITIVE_LOCATION.search(pattern)) and "well-known" not in pattern


def _dialect(src: SourceFile) -> str:
    if src.language in ("nginx", "apache"):
        return src.language
    text = src.text
    if re.search(r"(?m)^\s*(?:server|location|http|upstream)\b[^;{]*\{", text):
        return "nginx"
    if re.search(r"(?im)^\s*<\s*(?:VirtualHost|Directory|Location|Files|IfModule)\b", text):
        return "apache"
    return ""


class WebServerConfigCheck(Check):
    languages = frozenset({"nginx", "apache", "webconf"})
    detectors = (LISTING, EXPOSED, STATUS, BANNER)

    def run(self, src: SourceFile) -> Iterable[Hit]:
        dialect = _dialect(src)
        if dialect == "nginx":
            return self._nginx(_nginx_blocks(src.text))
        if dialect == "apache":
            return self._apache(_apache_blocks(src.text))
        return ()

    @staticmethod
    def _nginx(blocks: list[Block]) -> Iterable[Hit]:
        for block in blocks:
            if _sensitive_location(block) and not _nginx_guarded(block) and \
                    not any(name in ("proxy_pass", "fastcgi_pass", "rewrite") for name, _, _ in block.directives):
                yield Hit(EXPOSED, block.line, message=f"`location {' '.join(block.head[1:])}` matches dot-files, logs or "
                          "backups but does not refuse them: use `deny all;` (or `return 404;`) in it")
            for name, args, line in block.directives:
                if name == "stub_status" and args[:1] != ["off"] and not _nginx_guarded(block):
                    yield Hit(STATUS, line, message="`stub_status` is served to anyone: allow only the monitoring "
                              "addresses (`allow 127.0.0.1; deny all;`)")
                if name == "server_tokens" and args[:1] == ["on"]:
                    yield Hit(BANNER, line, message="`server_tokens on` puts the nginx version in every error page and "
                              "Server header: use `server_tokens off;`")
                if name in ("autoindex", "fancyindex") and args[:1] == ["on"] and not _nginx_guarded(block):
                    yield Hit(LISTING, line, message=f"`{name} on` lists the folder's files to anyone who asks "
                              "for a directory without an index file (remove it: the default is off)")
                elif name in ("root", "alias") and len(args) == 1 and _exposed(args[0]) and not _nginx_guarded(block):
                    yield Hit(EXPOSED, line, message=f"`{name} {args[0]}` serves {_exposed(args[0])} to the web: "
                              "serve only a folder of public assets")

    @staticmethod
    def _apache(blocks: list[Block]) -> Iterable[Hit]:
        for block in blocks:
            for name, args, line in block.directives:
                value = " ".join(args).lower()
                if name == "sethandler" and value in ("server-status", "server-info") and not _apache_guarded(block):
                    yield Hit(STATUS, line, message=f"`SetHandler {args[0]}` is served to anyone: add "
                              "`Require local` (or `Require ip` of the monitoring hosts)")
                if (name == "servertokens" and value in ("full", "os")) or (name == "serversignature" and value == "on"):
                    yield Hit(BANNER, line, message=f"`{' '.join([name, *args])}` shows the server version: use "
                              "`ServerTokens Prod` and `ServerSignature Off`")
                if name == "options" and any(a.lower() in ("indexes", "+indexes", "all") for a in args) \
                        and not _apache_guarded(block):
                    yield Hit(LISTING, line, message="`Options` with Indexes (or All) lists a folder's files when "
                              "it has no index page: use `Options -Indexes` (or name only what you need)")
                elif name in ("alias", "aliasmatch", "documentroot") and args and _exposed(args[-1]) \
                        and not _apache_guarded(block):
                    yield Hit(EXPOSED, line, message=f"`{name}` maps {_exposed(args[-1])} into the served tree: "
                              "serve only a folder of public assets")


CHECKS = [WebServerConfigCheck()]
