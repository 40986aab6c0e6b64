"""Path traversal: read a file the probe knows, by a path that climbs out of the app's folder.

The only files named are the canary auditor created beside the app (with --start) or the app's
own static files. A relative payload climbs to `/` first and then names the file by its full
path, so from any working folder it resolves to that one file: a handler that opens the path
for writing can only touch the canary (whose content the check puts back before it names
it again).

Where a handler only says whether the path it built exists (or opened), the canary's own name
is told apart from two missing paths, twice: the canary's own path with one letter of its
folder's name changed (two ways), a folder that does not exist. They are as long as the
canary's path, with its token at the same place, so they fail alike, even in an error message
that points at a position. Neither can be created by a handler
that opens its path for writing, and every word of an answer that holds the canary's random
token (the path echoed back, in any escaping) is masked before the answers are compared: an
app that only reflects or filters the value answers all three alike.

Where a handler opens the path and shows nothing at all (the file read and thrown away), the
probe's named pipe beside the canary (with --start) is named instead, at the end of the run: the
app opening it while the request is in flight is the proof (checks/pipe.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from auditor.probe.checks.canary import fresh, without_tokens
from auditor.probe.checks.pipe import is_pipe, watched
from auditor.probe.checks.sql_code import handler_text
from auditor.probe.interface import (
    Confirmation,
    Exchange,
    InjectionPoint,
    PointCheck,
    ProbeContext,
    Route,
    Sender,
    SiteCheck,
)
from auditor.probe.profile import PointProfile, plain_echo
from auditor.probe.target import SUFFIXED_COPIES

CLIMB = 12
# A parameter named like a file gets every spelling even when the first is answered like any
# text: a filter (`../` stripped or refused) answers both alike.
FILE_NAMES = re.compile(r"file|path|page|doc|template|include|dir|folder|image|img|download|load|read|view|lang", re.I)


# A handler that lists a folder (Node's readdir, Python's listdir/scandir/glob/walk, Java's
# Files.list, a spawned `ls`).
LISTS_FOLDERS = re.compile(r"\breaddir(?:Sync)?\b|\blistdir\b|\bscandir\b|\bglob\b|\bos\.walk\b|Files\.(?:list|walk)|"
                           r"['\"]ls['\"]|\bDir\.(?:entries|children|glob)", re.I)

# The canary's name as Target makes it: its random token tells the echoes of a path apart.
CANARY_NAME = re.compile(r"auditor-canary-([0-9a-f]{12,})")


def masked(ex: Exchange, token: str) -> tuple[int, str]:
    """The status and the body with every word that holds `token` as one mark, and every number
    as one digit: a page that shows the request's own metadata (django.nV's `request.META`, whose
    `wsgi.input` names a file descriptor that changes from request to request) must not look like
    an answer that tells files apart."""
    body = without_tokens(re.sub(r"\S*" + re.escape(token) + r"\S*", "\u00a7", ex.text))
    return ex.status, re.sub(r"\d+", "0", body)


def missing_beside(absolute: str) -> list[str]:
    """Two paths that cannot exist (nor be created by an open for writing): the canary's, with
    one letter of its folder's name changed (the last, then the first). Each is as long as the
    canary's path and holds its token at the same place, so an error that points at a position
    (a parser's caret) points at the same one."""
    path = Path(absolute)
    folder = path.parent.name
    out: list[str] = []
    if not folder:  # a file at `/`: no folder letter to change
        return out
    for i in (len(folder) - 1, 0):
        for c in "qzxj":
            if folder[i] != c:
                other = path.parent.parent / (folder[:i] + c + folder[i + 1:]) / path.name
                if not other.parent.exists():
                    out.append(str(other))
                    break
    return out


def existence(sender: Sender, point: InjectionPoint, absolute: str, first: Exchange) -> Exchange | None:
    """The canary's path (already sent: `first`) answers otherwise than two missing paths beside
    it, which answer alike, and again the same: the second answer to the canary's path, or None."""
    m = CANARY_NAME.search(absolute.rsplit("/", 1)[-1])
    if m is None or first.status <= 0:
        return None
    token = m.group(1)
    shown = masked(first, token)
    gone = [payloads(p)[0] for p in missing_beside(absolute)]
    if len(gone) < 2:
        return None
    absent = masked(sender.send(point, gone[0]), token)
    if absent == shown or absent[0] <= 0:
        return None
    if masked(sender.send(point, gone[1]), token) != absent:
        return None
    again = sender.send(point, payloads(absolute)[0])
    if masked(again, token) != shown:
        return None
    # once more a missing path after the canary's: a difference that comes and goes with
    # something else than the path (a cookie set and cleared) does not keep this order
    if masked(sender.send(point, gone[0]), token) != absent:
        return None
    # the canary's path spelled another way (`/./` before its name) names the same file, but is
    # another string: answered like the canary's, the difference is the file's; answered like
    # a missing path, it was the string's (a user name an earlier request had stored: "already
    # exists")
    return again if masked(sender.send(point, payloads(same_file(absolute))[0]), token) == shown else None


def same_file(absolute: str) -> str:
    """The path `absolute` spelled another way, with `/./` before its last part."""
    path = Path(absolute)
    return f"{path.parent}/./{path.name}"


def copies_of(absolute: str) -> list[Path]:
    """The canary's copies under the usual suffixes (for handlers that add their own extension).
    Target makes them all at once, so where any is there, all of them belong there (a handler
    may have deleted one); where none is, the canary has none."""
    copies = [Path(absolute + s) for s in SUFFIXED_COPIES]
    return copies if any(c.exists() for c in copies) else []


def restore(absolute: str, content: str) -> None:
    """Put the canary and its suffixed copies back as they were where an earlier handler wrote
    over them or deleted them (only auditor's own canary, which exists on this machine only with
    --start, in a folder that is still there)."""
    path = Path(absolute)
    if CANARY_NAME.search(path.name) is None or disk_change(absolute, content) is None:
        return
    for one in (path, *copies_of(absolute)):
        if _changed(one, content) is not None:
            try:
                one.write_text(content + "\n", encoding="utf-8")
                one.chmod(0o666)  # as Target made it: the app's user may open it for writing
            except OSError:
                pass


def _changed(path: Path, content: str) -> str | None:
    try:
        if not path.exists():
            return "deleted"
        return "written" if path.read_text(encoding="utf-8", errors="replace").strip() != content else None
    except OSError:
        return None


def disk_change(absolute: str, content: str) -> str | None:
    """What a request did to the probe's own canary file or one of its suffixed copies: "deleted",
    "written" (its content is not the one the probe gave it), or None (as it was, or not the
    probe's file to judge: a static file of the app's, whose folder the probe did not make)."""
    path = Path(absolute)
    if CANARY_NAME.search(path.name) is None or not path.parent.is_dir() or is_pipe(absolute):
        return None
    return next((c for one in (path, *copies_of(absolute)) if (c := _changed(one, content)) is not None), None)


def payloads(absolute: str) -> list[str]:
    rel = absolute.lstrip("/")
    return [
        "../" * CLIMB + rel,
        absolute,
        "..%2f" * CLIMB + rel.replace("/", "%2f"),
        "..%252f" * CLIMB + rel.replace("/", "%252f"),  # for an app that decodes twice
        "....//" * CLIMB + rel,
        "..\\" * CLIMB + rel.replace("/", "\\"),
    ]


def current_folder_beside(point: InjectionPoint) -> dict[str, str]:
    """The route's other inputs that travel where this one does, under another name, with no
    value of the app's own, each as `.`: a path built from several (`'files/' + user + '/' +
    name`) climbs only through folders that exist, and `1` names none (the OS resolves
    `files/1/..` only where `files/1` is a folder). None where there are no such inputs."""
    return {p.name: "." for p in point.route.params
            if p.name != point.param.name and p.location == point.param.location and
            p.location in ("path", "query", "form", "json") and (not p.example or p.filled)}


class PathTraversal(PointCheck):
    name = "traversal"
    category = "path-traversal"

    def __init__(self) -> None:
        self.deferred: list[InjectionPoint] = []  # points for the named pipe, at the end of the run
        self._split: tuple[list[tuple[str, str]], list[tuple[str, str]]] | None = None

    def _targets(self, ctx: ProbeContext) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """The run's traversal targets as (files, named pipes), sorted once per run: they do not
        change during it, and telling a pipe from a file costs a stat."""
        if self._split is None:
            self._split = ([(a, c) for a, c in ctx.traversal_targets if not is_pipe(a)],
                           [(a, c) for a, c in ctx.traversal_targets if is_pipe(a)])
        return self._split

    def worth(self, point: InjectionPoint, profile: PointProfile) -> bool:
        return True  # a missing file often answers like the baseline's: the first payload is always tried

    def run(self, sender: Sender, ctx: ProbeContext, point: InjectionPoint) -> Confirmation | None:
        files, pipes = self._targets(ctx)
        if not files:
            return None
        base = sender.baseline(point)
        profile = ctx.profile(point)
        found = self._files(sender, point, files, base, profile, ctx.project)
        if found is None and pipes:
            self.deferred.append(point)
        return found

    def last(self, ctx: ProbeContext, sender: Sender) -> Iterator[Confirmation]:
        """Blind reads, once every other check is done (one request per point where nothing
        opens the pipe): the pipe named by the first spelling is opened by the app, twice."""
        for point in self.deferred:
            for pipe, content in self._targets(ctx)[1]:
                payload = payloads(pipe)[0]
                ex, opened = watched(pipe, content, lambda p=payload, pt=point: sender.send(pt, p))
                if opened:
                    ex, opened = watched(pipe, content, lambda p=payload, pt=point: sender.send(pt, p))
                if opened:
                    yield Confirmation(self.category, self.name,
                                       f"path traversal (blind): {point.label} opens a file outside the app's folder "
                                       "(the probe's named pipe was opened while the request was in flight, twice; "
                                       "the answer shows nothing of it)", ex, Path(pipe).name, point)
                    break

    def _files(self, sender: Sender, point: InjectionPoint, files: list[tuple[str, str]], base: Exchange,
               profile: PointProfile | None, project: Path | None = None) -> Confirmation | None:
        for absolute, content in files:
            restore(absolute, content)
            first: Exchange | None = None
            for i, payload in enumerate(payloads(absolute)):
                ex = sender.send(point, payload)
                first = first or ex
                if (found := self._seen(sender, point, absolute, content, base, payload, ex)) is not None:
                    return found
                if i == 0 and plain_echo(profile, ex, payload) and not FILE_NAMES.search(point.param.name):
                    break  # a path answers like the canary: the other spellings of it will too
            if beside := current_folder_beside(point):
                payload = payloads(absolute)[0]
                ex = sender.send(point, payload, others=beside)
                if (found := self._seen(sender, point, absolute, content, base, payload, ex, beside)) is not None:
                    return found
            if (listed := self._listing(sender, point, absolute, base, project)) is not None:
                return listed
            found_ex = existence(sender, point, absolute, first) if first is not None else None
            if found_ex is not None:
                return Confirmation(self.category, self.name,
                                    f"path traversal: {point.label} reaches a file outside the app's folder (the "
                                    "answer tells the probe's file from missing paths beside it)",
                                    found_ex, CANARY_NAME.search(absolute).group(0), point)  # type: ignore[union-attr]
        return None

    def _listing(self, sender: Sender, point: InjectionPoint, absolute: str, base: Exchange,
                 project: Path | None) -> Confirmation | None:
        """Where the handler's code lists a folder (`readdir`, `listdir`, `glob`): the canary's
        folder, climbed to, is listed with the canary's random name in it."""
        name = Path(absolute).name
        if CANARY_NAME.search(name) is None or not LISTS_FOLDERS.search(handler_text(project, point.route)):
            return None
        payload = payloads(str(Path(absolute).parent))[0]
        tries: list[dict[str, str] | None] = [None]
        if beside := current_folder_beside(point):
            tries.append(beside)
        for others in tries:
            ex = sender.send(point, payload, others=others)
            if fresh(ex, name, base):
                how = " (the inputs joined into the same path hold `.`)" if others else ""
                return Confirmation(self.category, self.name,
                                    f"path traversal: {point.label} lists a folder outside the app's folder "
                                    f"(the probe's canary file is named in the answer){how}", ex, name, point)
        return None

    def _seen(self, sender: Sender, point: InjectionPoint, absolute: str, content: str, base: Exchange,
              payload: str, ex: Exchange, beside: dict[str, str] | None = None) -> Confirmation | None:
        """What one request shows: the canary's content in its answer, or the canary file written
        over or deleted by it (then put back, and the request sent once more: a late write of an
        earlier request is not taken for this one's). `beside`: the other inputs' values."""
        how = " (the inputs joined into the same path hold `.`)" if beside else ""
        if fresh(ex, content, base):
            return Confirmation(self.category, self.name,
                                f"path traversal: {point.label} reads a file outside the app's folder{how}",
                                ex, content, point)
        if disk_change(absolute, content) is None:
            return None
        # a handler that writes or deletes the path it is given: the canary is the one file it can reach
        restore(absolute, content)
        again = sender.send(point, payload, others=beside)
        done = disk_change(absolute, content)
        restore(absolute, content)
        if done is None:
            return None
        return Confirmation(self.category, self.name,
                            f"path traversal: {point.label} names a file outside the app's folder, which the request "
                            f"{'deleted' if done == 'deleted' else 'wrote over'} (the probe's canary file, twice){how}",
                            again, CANARY_NAME.search(absolute).group(0), point)  # type: ignore[union-attr]


# Folders of the app's own static files asked for a climb out of them, at most.
MAX_ASSET_FOLDERS = 3


def asset_folders(assets: list[str]) -> list[str]:
    """The top folders the static files the crawl found are served from (`/static/js/app.js`:
    `/static/`; a file at the root: `/`), in the order found."""
    return list(dict.fromkeys("/" + p.strip("/").split("/")[0] + "/" if p.strip("/").count("/") else "/"
                              for p in assets))[:MAX_ASSET_FOLDERS]


def url_climbs(folder: str, absolute: str) -> list[str]:
    """The target's path climbed to from `folder` in the URL path itself: plain (sent as written,
    not normalised), and percent-encoded for a server that decodes the path first."""
    rel = absolute.lstrip("/")
    return [folder + "../" * CLIMB + rel, folder + "..%2f" * CLIMB + rel.replace("/", "%2f"),
            folder + "%2e%2e/" * CLIMB + rel]


class StaticFileTraversal(SiteCheck):
    """Path traversal in the URL path: an app that serves its files by joining the request's path
    to a folder (a hand-written static handler, `open('.' + self.path)`, an old static-file
    module) hands out any file. The folders its static files came from, and those its code
    mounts a static-file middleware at, are asked for the canary by a climb out of them."""

    name = "traversal"
    category = "path-traversal"

    def run(self, sender: Sender, ctx: ProbeContext, routes: list[Route]) -> list[Confirmation]:
        files = [(a, c) for a, c in ctx.traversal_targets if not is_pipe(a)]
        folders = list(dict.fromkeys([*asset_folders(ctx.assets), *ctx.static_mounts]))[:MAX_ASSET_FOLDERS]
        if not files or not folders:
            return []
        base = sender.request("GET", ctx.assets[0] if ctx.assets else folders[0])
        for folder in folders:
            for absolute, content in files:
                restore(absolute, content)
                for path in url_climbs(folder, absolute):
                    ex = sender.request("GET", path)
                    if fresh(ex, content, base):
                        return [Confirmation(self.category, self.name,
                                             f"path traversal: the URL path under {folder} reads a file outside the "
                                             "app's folder (its static files are served by joining the path to it)",
                                             ex, content, endpoint=folder + "{file}", method="GET")]
        return []
