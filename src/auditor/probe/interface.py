"""Records shared by the probe: routes and their inputs, injection points, exchanges
(request + response as sent and received), confirmations, and the base of every check.

A check never sends anything itself: it asks a `Sender` (the safety layer behind it) to send a
payload at an injection point, and confirms only on a canary unique to that request."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from auditor.probe.login import LoginRecipe
    from auditor.probe.profile import PointProfile
    from auditor.probe.static import StaticView

# Where an input enters a request. `path` values are filled in the URL template.
# `file`: a file input of a multipart form; sent with a small harmless file, its content the point.
# `body`: the request's whole body as the code reads it raw (`request.get_data()`): the payload is the body.
# "filename": the name a file input's upload carries (a point only, beside the "file" input of
# the same name, whose content is its own point)
LOCATIONS = ("path", "query", "form", "json", "header", "cookie", "file", "body", "filename")
RAW_BODY = "body"  # the name of the one `body` input a route has
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "POST"})


# The stand-in name of "any key" of an input container a handler iterates over (routes/inputs.py).
ITERATED_NAME = "q"

@dataclass(frozen=True)
class Param:
    name: str
    location: str  # one of LOCATIONS
    example: str = ""
    # Inputs seen together (one crawled link or form): a request for this input carries only
    # its group's other inputs, as the page would. "" = from code or OpenAPI: sent all together.
    group: str = ""
    # The example is the probe's filler for the name (a mail, a URL...), not a value the app
    # gave: good for passing validation beside the input under test, not as its own prefix.
    filled: bool = field(default=False, compare=False)
    # How the code decodes the input before using it ("base64": `exec(b64decode(x))`): payloads
    # go out encoded that way, so what reaches the code is the payload itself.
    decoded: str = field(default="", compare=False)
    # A JSON input's value as JSON text where its declared type is no string (`1`, `true`,
    # `[{"productId": 1}]`): sent when the input is not the one under test, so a body that is
    # validated against its types gets past the validation.
    shape: str = field(default="", compare=False)


@dataclass
class Route:
    """One endpoint: a method, a path template with `{name}` placeholders, and its inputs."""

    method: str
    path: str
    params: list[Param] = field(default_factory=list)
    source: str = "code"  # code | openapi | crawl | login (a --login recipe's own route) | graphql
    file: str = ""
    line: int = 0
    framework: str = ""
    language: str = ""
    rank: int = 0  # higher is tried first (static findings in the handler's file)
    # Requested only as a first-time visitor, never with a session: a sign-out route while the
    # probe holds one (`/logout?next=...` still redirects, and the session survives).
    visitor: bool = False
    # A GraphQL operation's document: its JSON inputs travel as the document's variables.
    graphql: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, self.path)

    def merge(self, other: Route) -> None:
        """Add `other`'s inputs (the same endpoint found by another source)."""
        known = {(p.name, p.location) for p in self.params}
        self.params.extend(p for p in other.params if (p.name, p.location) not in known)
        self.file = self.file or other.file
        self.line = self.line or other.line
        self.framework = self.framework or other.framework
        self.language = self.language or other.language
        self.visitor = self.visitor or other.visitor
        self.graphql = self.graphql or other.graphql


@dataclass(frozen=True)
class InjectionPoint:
    """The one input a payload replaces. `in_name` puts the payload in the parameter's
    name instead of its value (a handler that iterates over keys)."""

    route: Route
    param: Param
    in_name: bool = False

    @property
    def name_is_value(self) -> bool:
        """A name the handler takes as its input: it picks the key whose value is the one it
        looks for (`if "x" in request.form.getlist(name): param = name`), so the name reaches
        whatever a value would, and every check attacks it."""
        return self.in_name and bool(self.param.example) and self.param.name == ITERATED_NAME

    @property
    def label(self) -> str:
        where = f"{self.param.location} name" if self.in_name else self.param.location
        return f"{self.param.name} ({where})"


@dataclass
class Exchange:
    """One request as sent and its response as received."""

    method: str
    url: str
    request_headers: dict[str, str]
    request_body: str
    status: int
    headers: list[tuple[str, str]]
    text: str
    elapsed: float
    # A POST's redirect to a page of the target's own was followed: that page's path, and where its
    # text starts in `text` (after the POST's own answer), and its content type.
    followed: str = ""
    followed_at: int = -1
    followed_type: str = ""

    def header(self, name: str) -> str | None:
        lname = name.lower()
        return next((v for k, v in self.headers if k.lower() == lname), None)

    def header_values(self, name: str) -> list[str]:
        lname = name.lower()
        return [v for k, v in self.headers if k.lower() == lname]

    @property
    def is_html(self) -> bool:
        """The answer, or the page its redirect led to (Express's `Found. Redirecting to` is plain
        text for a client that accepts anything), is HTML."""
        return "html" in (self.header("content-type") or "").lower() or "html" in self.followed_type.lower()


@dataclass
class Confirmation:
    """A flaw demonstrated by a request. `canary` is the unique value whose appearance (in the
    body, a header, or the callback server's log) proves it."""

    category: str
    check: str
    message: str
    exchange: Exchange
    canary: str
    point: InjectionPoint | None = None
    endpoint: str = ""
    method: str = ""
    severity: str = "high"


class Sender(Protocol):
    """What a check may do: send a payload at a point (the safety layer checks it), or send a
    plain request to a path of the target."""

    def send(self, point: InjectionPoint, payload: str, *, raw_value: object = None,
             extra_headers: dict[str, str] | None = None, extra_name: str | None = None,
             others: dict[str, str] | None = None) -> Exchange: ...

    def request(self, method: str, path: str, *, headers: dict[str, str] | None = None,
                body: dict[str, str] | None = None, json_body: object = None,
                files: dict[str, tuple[str, bytes, str]] | None = None) -> Exchange: ...

    def baseline(self, point: InjectionPoint) -> Exchange: ...

    def new_visitor(self) -> AbstractContextManager[None]:
        """Requests inside go as a first-time visitor: no identity, no session from before."""
        ...


@dataclass
class ProbeContext:
    """What checks know beyond the request: the target's origin, the traversal canary file,
    the SSRF callback server, the framework's language."""

    origin: str
    traversal_targets: list[tuple[str, str]] = field(default_factory=list)  # (path as named, known content)
    callback: object = None  # CallbackServer
    delay: float = 1.5  # time-based checks: the injected delay in seconds
    identities: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # (name, headers), --as
    # What each point's first canary showed (profile.point_key -> PointProfile); empty when a
    # check is run on its own, and then it sends all its payloads.
    profiles: dict[tuple[str, str, str, str, bool], PointProfile] = field(default_factory=dict)
    project: Path | None = None  # the project's folder: what the code says (a JWT key in its config)
    # The HTML pages the discovery read (path and query), where a stored value may show later.
    pages: list[str] = field(default_factory=list)
    # GET paths without placeholders that the code or the discovery declares (`/comments`): the
    # list beside a route that stores at the same path, where a stored value shows.
    listings: list[str] = field(default_factory=list)
    # GET path templates (`/posts/{username}`, `/show?id={id}`): a stored object's own page, filled
    # with the values the storing request sent beside the input (its `username`, its `id`).
    templates: list[str] = field(default_factory=list)
    # What the one static scan of the handlers says (None when a check is run on its own).
    static: StaticView | None = None
    unpickles: bool = False  # the project's Python code unpickles bytes somewhere (routes/signs.py)
    query_javascript: bool = False  # the project's code runs JavaScript in a database query ($where)
    # The project's code may run XPath or LDAP queries (no code read: unknown, so yes).
    query_languages: bool = True
    assets: list[str] = field(default_factory=list)  # paths of the app's static files the crawl found
    static_mounts: list[str] = field(default_factory=list)  # URL folders the code serves files from (`/public/`)
    # Points whose value the server fetches as a URL (SSRF confirmed there): an answer then shows
    # the fetched resource, and a differential between two values proves nothing of an interpreter.
    fetched: set[tuple[str, str, str, str, bool]] = field(default_factory=set)
    # --allow-destructive: checks may write to records that exist (the update checks)
    destructive: bool = False
    # The user names or mails of the accounts the probe holds (its login recipes' and sign-ups'),
    # in the identities' order: a login burst aimed at a real account runs its password check.
    accounts: list[str] = field(default_factory=list)
    # Logins of administrators' accounts the run got into with default credentials, and how:
    # the escalation tries the routes that refuse the run's identity with them first.
    default_logins: list[tuple[LoginRecipe, str]] = field(default_factory=list)
    # A page a visitor is refused and the run's identity is shown (None: not looked for yet; "":
    # none), where the session's own checks send what they send.
    private_page: str | None = None

    def fetches(self, point: InjectionPoint) -> bool:
        from auditor.probe.profile import point_key

        return point_key(point) in self.fetched

    def profile(self, point: InjectionPoint) -> PointProfile | None:
        from auditor.probe.profile import point_key

        return self.profiles.get(point_key(point))


class PointCheck(ABC):
    """A check run once per injection point."""

    name: str = ""
    category: str = ""
    # Whether a parameter's *name* is an injection point for this flaw too (reflected XSS is;
    # a name rarely reaches a query, a shell or a fetch as a value does).
    attacks_names: bool = False
    # Its `settle` only listens (for late callbacks) and sends nothing: the engine settles it
    # after the site checks, so the time they take counts toward the callbacks' grace.
    listens: bool = False
    # Whether an upload's file name is a point for this flaw (a handler that puts it in a shell
    # command or a statement); never where the payload would name where the file is written.
    attacks_file_names: bool = False

    def applies(self, point: InjectionPoint) -> bool:
        if point.param.location == "filename" and not self.attacks_file_names:
            return False
        return self.attacks_names or not point.in_name or point.name_is_value

    def worth(self, point: InjectionPoint, profile: PointProfile) -> bool:
        """Whether the point's canary answer leaves room for this flaw (the engine skips the
        check otherwise). Default: the input changes the answer."""
        return profile.influenced

    def code_says(self, point: InjectionPoint, handler: str) -> bool:
        """Whether the handler's code (`handler`, its text) runs this flaw's sink on its inputs, so
        the check runs where the canary's answer showed nothing (an import whose every file fails
        alike). Default: no."""
        return False

    @abstractmethod
    def run(self, sender: Sender, ctx: ProbeContext, point: InjectionPoint) -> Confirmation | None:
        """Send payloads; return a confirmation only when the request's own canary proves it."""

    def settle(self, ctx: ProbeContext, sender: Sender | None = None) -> list[Confirmation]:
        """Confirmations whose proof arrives after the request (a late callback, a value stored
        and shown on another page), collected once at the end of the point checks instead of
        waiting after each request."""
        return []

    def last(self, ctx: ProbeContext, sender: Sender) -> Iterator[Confirmation]:
        """Guesses kept for the end of the run, after every point and site check: costly payloads
        sent on a weak hint. Yielded one by one, so a budget spent among them keeps what they
        confirmed before it."""
        return iter(())


class SiteCheck(ABC):
    """A check run once per target (or per route): headers, cookies, CORS, debug pages, JWT."""

    name: str = ""

    @abstractmethod
    def run(self, sender: Sender, ctx: ProbeContext, routes: list[Route]) -> list[Confirmation]:
        """Return the confirmed flaws."""
