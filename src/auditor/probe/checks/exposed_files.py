"""Files that should never be served, served: a git repository's config, an environment file of
secrets, a database file or an SQL dump, a private key. Each is known by its content, never by
its name alone: `[core]` with `repositoryformatversion`, lines of `NAME=value` that name a
secret, SQLite's file header, `CREATE TABLE` with `INSERT INTO`, a PEM private key block.

Judged on every answer the run has seen (a route the code declares, `GET /backup` that sends the
database, `/.git/config` served by a static folder), and on the two paths such files are most
often left at, asked once each as a visitor (`/.git/config`, `/.env`)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from auditor.probe.interface import Confirmation, Exchange, ProbeContext, Route, Sender, SiteCheck

WELL_KNOWN = ("/.git/config", "/.env")
MAX_FINDINGS = 6
GIT_CONFIG = re.compile(r"^\[core\]\s*$.*?repositoryformatversion", re.M | re.S)
ENV_LINE = re.compile(r"^(?:export\s+)?([A-Z][A-Z0-9_]*)\s*=\s*(\S.*)$", re.M)
SECRET_NAME = re.compile(r"SECRET|PASSWORD|PASSWD|API_KEY|PRIVATE_KEY|TOKEN|CREDENTIAL", re.I)
SQLITE = "SQLite format 3\x00"
SQL_DUMP = re.compile(r"CREATE TABLE[\s\S]{0,20000}?INSERT INTO", re.I)
PRIVATE_KEY = re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----")
# A page that explains such files rather than serving one (a tutorial, an HTML view of code).
_MARKUP = re.compile(r"<(?:html|body|div|p|pre|code|script)\b", re.I)


def served_file(ex: Exchange) -> str | None:
    """What sensitive file the answer is, by its content, or None."""
    if ex.status != 200 or not ex.text:
        return None
    head = ex.text[:20000]
    if head.startswith(SQLITE):
        return "a database file (SQLite)"
    if _MARKUP.search(head[:2000]):
        return None  # a page about such a file, not the file
    if GIT_CONFIG.search(head):
        return "a git repository's config (the repository itself may be downloadable: its history, its secrets)"
    env = ENV_LINE.findall(head)
    if len(env) >= 2 and any(SECRET_NAME.search(k) for k, _ in env):
        return "an environment file with secrets"
    if PRIVATE_KEY.search(head):
        return "a private key"
    if SQL_DUMP.search(head):
        return "a database dump (SQL)"
    return None


class ExposedFiles(SiteCheck):
    name = "exposed-files"

    def run(self, sender: Sender, ctx: ProbeContext, routes: list[Route]) -> list[Confirmation]:
        seen = [*getattr(sender, "first_answers", {}).values(), *getattr(sender, "history", [])]
        asked: list[Exchange] = []
        with sender.new_visitor():  # type: ignore[attr-defined]
            for path in WELL_KNOWN:
                if not any(urlsplit(ex.url).path == path for ex in seen):
                    asked.append(sender.request("GET", path))
        found: dict[str, Confirmation] = {}
        for ex in [*seen, *asked]:
            path = urlsplit(ex.url).path or "/"
            if path in found or len(found) >= MAX_FINDINGS or ex.method != "GET" or (what := served_file(ex)) is None:
                continue
            found[path] = Confirmation("security-misconfiguration", self.name,
                                       f"{what} is served at {path}: keep it out of every folder the app serves, "
                                       "and answer no route with it", ex, "", endpoint=path, method="GET",
                                       severity="high")
        return list(found.values())
