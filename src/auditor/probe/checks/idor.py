"""IDOR: with two identities (--as alice=... --as bob=...), an object bob creates (its text
holds a canary) is read with alice's credentials. Only create-then-read pairs are used, so the
object is known to be bob's and known to exist. An object a visitor with no session reads too is
published (a marketplace's offer, a blog post), unless its kind is private by name (a message,
an order: `own_records.PRIVATE_KIND`), which no visitor should read either."""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable

from auditor.probe.checks.canary import token
from auditor.probe.checks.objects import PRIVATE_KIND, body_of, create_read_pairs, created_id, read_path
from auditor.probe.interface import (
    Confirmation,
    Exchange,
    InjectionPoint,
    Param,
    ProbeContext,
    Route,
    Sender,
    SiteCheck,
)
from auditor.probe.routes.common import same_origin, template_regex
from auditor.probe.routes.crawl import links_of


class Idor(SiteCheck):
    name = "idor"

    def run(self, sender: Sender, ctx: ProbeContext, routes: list[Route]) -> list[Confirmation]:
        if len(ctx.identities) < 2:
            return []
        (_, alice), (_, bob) = ctx.identities[0], ctx.identities[1]
        for create, read in create_read_pairs(routes):
            if read is None:
                continue
            canary = token()
            body, is_json = body_of(create, {p.name: canary for p in create.params})

            def make(body: dict[str, object] = body, is_json: bool = is_json, create: Route = create) -> Exchange:
                return sender.request("POST", create.path, headers=bob, json_body=body if is_json else None,
                                      body=None if is_json else {k: str(v) for k, v in body.items()})

            made = make()
            if made.status >= 400:
                continue
            object_id = created_id(made, read, body)
            path = read_path(read, object_id) if object_id is not None else \
                new_link(sender, made, make, read, bob, ctx.origin)
            if path is None:
                continue
            own = sender.request("GET", path, headers=bob)
            other = sender.request("GET", path, headers=alice)
            if own.status == 200 and canary in own.text and other.status == 200 and canary in other.text:
                if published(sender, read, path, canary):
                    continue
                return [Confirmation("broken-access-control", self.name,
                                     f"IDOR: an object another user created is readable at {read.path} "
                                     "with the first identity's credentials", other, canary, id_point(read),
                                     endpoint=read.path, method="GET")]
        return []


def new_link(sender: Sender, made: Exchange, make: Callable[[], Exchange], read: Route, headers: dict[str, str],
             base: str) -> str | None:
    """Where a create's answer names no id but is (or redirects to) a server-rendered list of
    the objects: the same object made once more, and the one path of the read route the second
    list links to and the first did not is the new object's."""
    def listed(answer: Exchange) -> set[str] | None:
        location = answer.header("location")
        if 300 <= answer.status < 400 and location and same_origin(location, base) is not None:
            answer = sender.request("GET", location, headers=headers)
        return linked_paths(answer.text, base) if answer.status == 200 and answer.is_html else None

    rx = template_regex(read.path, trailing_slash=True)
    first = listed(made)
    if first is None:
        return None
    second = listed(make())
    added = sorted(p for p in (second or set()) - first if rx.fullmatch(p))
    return added[0] if len(added) == 1 else None


def published(sender: Sender, route: Route, path: str, marker: str) -> bool:
    """An object a visitor with no session is shown too (`marker` in its answer at `path`): an
    offer, a post, published for anyone to read, not an IDOR. Not asked where the route's kind is
    private by name (a message, an order), which no visitor should read either."""
    if PRIVATE_KIND.search(route.path):
        return False
    with sender.new_visitor():
        anyone = sender.request("GET", path)
    return anyone.status == 200 and marker in anyone.text


# -- objects linked from each user's own pages (server-rendered apps) ------------------------

MAX_OBJECTS = 8  # bob-only object URLs tried
MISSING_ID = "987654321"  # an id no test database holds: the control request
# Comments first: an old IE conditional comment holds a <script> it never closes.
_TAGS = re.compile(r"<!--.*?-->|<script\b.*?</script>|<style\b.*?</style>|<[^>]+>", re.I | re.S)


def visible_text(page: str) -> set[str]:
    """The page's text runs (tags, scripts and styles out), each of 8 characters or more."""
    runs = (" ".join(html.unescape(t).split()) for t in _TAGS.split(page))
    return {t for t in runs if len(t) >= 8}


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])")


def page_numbers(page: str) -> Counter[str]:
    """The numbers of the page's text (tags, scripts and styles out), counted."""
    return Counter(_NUMBER.findall(" ".join(html.unescape(t) for t in _TAGS.split(page))))


def id_point(route: Route, name: str = "") -> InjectionPoint | None:
    """The route's path placeholder `name` (by default its only one), as the input that chooses the
    object (named in the report)."""
    names = [name] if name else re.findall(r"\{(\w+)\}", route.path)
    if len(names) != 1:
        return None
    param = next((p for p in route.params if p.location == "path" and p.name == names[0]), Param(names[0], "path"))
    return InjectionPoint(route, param)


def linked_paths(page: str, base: str) -> set[str]:
    """Same-origin paths the page links to."""
    return {parts.path for href in links_of(page) if (parts := same_origin(href, base)) is not None}


class LinkedObjects(SiteCheck):
    """IDOR in a server-rendered app, whose objects are reached by links rather than an API's
    create/read pair. Each discovery page is read as alice and as bob. A link on bob's pages to a
    path of a route with placeholders (`/tasks/{task_id}/edit`) that alice's pages never link,
    nor the pages a visitor without a session is shown, is one of bob's unpublished objects. It
    is confirmed when alice's session is answered with text of bob's object page that appears
    on none of alice's pages and on no page of a missing id: bob's own data, shown to alice. A
    page whose data is only numbers (an allocation's percentages) has them as markers instead:
    those on two of bob's reads and on neither alice's own object of the route, a missing id's
    page, nor in the path."""

    name = "idor"

    def run(self, sender: Sender, ctx: ProbeContext, routes: list[Route]) -> list[Confirmation]:
        if len(ctx.identities) < 2 or not ctx.pages:
            return []
        (_, alice), (_, bob) = ctx.identities[0], ctx.identities[1]
        templates = [(r, template_regex(r.path, trailing_slash=True))
                     for r in routes if r.method == "GET" and "{" in r.path]
        if not templates:
            return []
        base = ctx.origin
        alice_links: set[str] = set()
        alice_text: set[str] = set()
        bob_links: set[str] = set()
        bob_words: set[str] = set()
        public_links: set[str] = set()  # what a visitor without a session is shown links to
        for page in ctx.pages[:MAX_OBJECTS * 2]:
            mine = sender.request("GET", page, headers=alice)
            theirs = sender.request("GET", page, headers=bob)
            with sender.new_visitor():
                public_links |= linked_paths(sender.request("GET", page).text, base)
            alice_links |= linked_paths(mine.text, base)
            alice_text |= visible_text(mine.text)
            bob_links |= linked_paths(theirs.text, base)
            bob_words |= _words(" ".join(visible_text(theirs.text))) - _words(" ".join(visible_text(mine.text)))
        # Words only bob's side of the same pages shows are who bob is (`Hi, bob!`): a page
        # that says bob's name to alice (a profile, a "send bob a message" form) shows no data
        # of bob's; what else it shows must.
        alice_words = _words(" ".join(alice_text))
        candidates = [(path, route) for path in sorted(bob_links - alice_links)
                      for route, rx in templates if rx.fullmatch(path)][:MAX_OBJECTS]
        found: list[Confirmation] = []
        for path, route in candidates:
            if any(c.endpoint == route.path for c in found):
                continue  # one finding per route
            own = sender.request("GET", path, headers=bob)
            if own.status != 200 or not own.is_html:
                continue
            control = sender.request("GET", read_path(route, MISSING_ID), headers=alice)
            # alice's own object of the same route, where she has one: its page's wording (`Send
            # Message to ...`) is the route's, not bob's
            rx = next(r for t, r in templates if t is route)
            hers = next((p for p in sorted(alice_links) if rx.fullmatch(p)), None)
            hers_page = sender.request("GET", hers, headers=alice).text if hers is not None else ""
            known = bob_words | alice_words | _words(" ".join(visible_text(hers_page)))
            markers = {m for m in visible_text(own.text) - alice_text - visible_text(control.text)
                       if len(" ".join(w for w in _words(m) - known)) >= 8}
            numbers = Counter() if markers or hers is None else \
                self._numbers_of_theirs(sender, path, bob, own, hers_page, control)
            if not markers and not numbers:
                continue
            other = sender.request("GET", path, headers=alice)
            shown = [m for m in markers if m in " ".join(visible_text(other.text))] or \
                ([" ".join(sorted(numbers))] if numbers and not numbers - page_numbers(other.text) else [])
            if other.status != 200 or not shown:
                continue
            if path in public_links:
                continue  # published: the pages a visitor sees link it
            found.append(Confirmation("broken-access-control", self.name,
                                      f"IDOR: another user's object page {path} (linked only from their pages) is "
                                      f"shown with the first identity's session, with text of theirs: {shown[0][:60]!r}",
                                      other, shown[0][:60], id_point(route), endpoint=route.path, method="GET",
                                      severity="high"))
        return found

    @staticmethod
    def _numbers_of_theirs(sender: Sender, path: str, bob: dict[str, str], own: Exchange, hers_page: str,
                           control: Exchange) -> Counter[str]:
        """Numbers only bob's object page holds (an allocation's percentages, a balance): on two
        reads of it by bob, not on alice's own object of the route, nor a missing id's page, nor
        in the path (an id the page repeats). At least two, or none."""
        again = sender.request("GET", path, headers=bob)
        numbers = (page_numbers(own.text) & page_numbers(again.text)) - page_numbers(hers_page) - \
            page_numbers(control.text)
        for n in _NUMBER.findall(path):
            del numbers[n]
        return numbers if sum(numbers.values()) >= 2 else Counter()
