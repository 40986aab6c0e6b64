"""Anti-CSRF tokens: what a browser's form or the page's script would send with a POST.

Apps with CSRF protection (Django's middleware, Flask-WTF, Rails, Laravel, csurf) answer a
state-changing request that lacks the token with 400/403/419/422 before any handler runs. A
probe that does not send it tests nothing on those routes, and a check that counts answers
(the login burst) would count the rejections. So tokens are read, passively, from every page
the probe sees: a hidden form input with a token-like name (kept by the form's action and by
page), a `<meta name="csrf-token">` tag (Rails, Laravel), and the cookies that frameworks read
back from a header (`csrftoken`, `XSRF-TOKEN`). A state-changing request gets the token for its
path in a form body and in the headers those frameworks read. When an answer still says the
token is missing or stale, the page is fetched again (a GET) and the request sent once more."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import unquote, urljoin, urlsplit

# Field names of the frameworks' tokens: Django, Flask-WTF, Rails, Laravel, csurf, ASP.NET, Yii,
# Spring Security, Symfony.
_FIELD = re.compile(r"^(?:csrfmiddlewaretoken|csrf_token|csrf|_csrf|_csrf_token|csrftoken|authenticity_token|_token|"
                    r"__requestverificationtoken|xsrf_token|_xsrf|yii_csrf_token|_csrf_header)$", re.IGNORECASE)
# Cookies whose value a framework expects back in a header of its own.
_COOKIE_HEADERS = {"csrftoken": "X-CSRFToken", "xsrf-token": "X-XSRF-TOKEN", "csrf_token": "X-CSRF-Token"}
# Headers that carry a page token: Flask-WTF and Django read X-CSRFToken, Rails, Laravel and
# csurf X-CSRF-Token (header names are case-insensitive).
_PAGE_HEADERS = ("X-CSRF-Token", "X-CSRFToken")
_TAG = re.compile(r"<(form|input|meta)\b([^>]*)>", re.IGNORECASE)
_ATTR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
# What a rejected token says: Django "CSRF verification failed", Flask-WTF "The CSRF token is
# missing", Rails "InvalidAuthenticityToken", Laravel 419 "Page Expired", csurf "invalid csrf token".
_REJECTED = re.compile(r"csrf|xsrf|authenticity.?token|request.?verification|page expired", re.IGNORECASE)
_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MAX_REFRESHES = 20  # pages fetched again for a token, per run


def _attrs(text: str) -> dict[str, str]:
    return {m.group(1).lower(): unescape(m.group(2) or m.group(3) or m.group(4) or "") for m in _ATTR.finditer(text)}


def is_token_field(name: str) -> bool:
    return bool(_FIELD.match(name))


def _under_test(value: str, payload: str | None) -> bool:
    """Whether an input's value is (part of) the payload a check is sending, not a default."""
    return bool(payload) and (value == payload or (len(value) >= 4 and value in payload))  # type: ignore[operator]


# A form shown again with its token refused (Flask-WTF: 200 and "The CSRF token is invalid."):
# said in so many words, since a 200 page may mention CSRF for other reasons.
_REJECTED_FORM = re.compile(r"(?:csrf|xsrf)[\w -]{0,20}?token[\w ]{0,10}?(?:invalid|missing|expired|mismatch|"
                            r"does not match)|(?:invalid|missing|expired) (?:csrf|xsrf)", re.IGNORECASE)


def refused_for_token(method: str, status: int, text: str) -> bool:
    """Whether an answer is a framework's refusal of a missing or stale token (a page that
    merely holds a token input or meta tag does not count): a 4xx that names the token, or a
    form shown again (200) that says the token was refused."""
    if method.upper() not in _UNSAFE:
        return False
    if status == 200:
        return bool(_REJECTED_FORM.search(_TAG.sub(" ", text[:20000])))
    return status in (400, 403, 419, 422) and bool(_REJECTED.search(_TAG.sub(" ", text[:20000])))


@dataclass
class CsrfTokens:
    by_action: dict[str, tuple[str, str]] = field(default_factory=dict)  # form action path -> (field, token)
    by_page: dict[str, tuple[str, str]] = field(default_factory=dict)  # page path -> (field, token)
    meta: str = ""  # the page-wide token of a <meta> tag
    latest: tuple[str, str] | None = None  # the last hidden-input token seen anywhere
    refreshes: int = 0

    def observe(self, url: str, text: str) -> None:
        """Read the tokens in an HTML answer from `url`."""
        if "<" not in text or not re.search(r"csrf|xsrf|token", text, re.IGNORECASE):
            return
        page = urlsplit(url).path or "/"
        action = page
        for m in _TAG.finditer(text):
            tag, attrs = m.group(1).lower(), _attrs(m.group(2))
            if tag == "form":
                action = urlsplit(urljoin(url, attrs.get("action") or url)).path or "/"
            elif tag == "meta" and re.fullmatch(r"_?(?:csrf|xsrf)[-_]token", attrs.get("name", ""), re.IGNORECASE):
                self.meta = attrs.get("content", "") or self.meta
            elif tag == "input" and is_token_field(attrs.get("name", "")) and attrs.get("value"):
                found = (attrs["name"], attrs["value"])
                self.by_action[action] = found
                self.by_page[page] = found
                self.latest = found

    def token_for(self, path: str) -> tuple[str, str] | None:
        """(field, token) to send to `path`: its own form's, then its page's, then the latest seen
        (Django's, Flask-WTF's and Laravel's are valid site-wide for the session)."""
        return self.by_action.get(path) or self.by_page.get(path) or self.latest

    def apply(self, method: str, url: str, headers: dict[str, str], data: dict[str, str] | None,
              jar: dict[str, str], payload: str | None) -> tuple[dict[str, str], dict[str, str] | None]:
        """The headers and form body of a state-changing request with the tokens added. An input
        the request already carries is kept when it holds the payload under test."""
        if method not in _UNSAFE:
            return headers, data
        out = dict(headers)
        have = {k.lower() for k in out}
        found = self.token_for(urlsplit(url).path or "/")
        page_token = found[1] if found else self.meta
        for name in _PAGE_HEADERS:
            if page_token and name.lower() not in have:
                out[name] = page_token
                have.add(name.lower())
        for cookie, header in _COOKIE_HEADERS.items():
            value = next((v for k, v in jar.items() if k.lower() == cookie), "")
            if value and header.lower() not in have:
                out[header] = unquote(value)
                have.add(header.lower())
        if data is not None and found is not None:
            data = dict(data)
            named = next((k for k in data if is_token_field(k)), None)
            if named is None:
                data[found[0]] = found[1]
            elif not _under_test(data[named], payload):
                data[named] = found[1]
        return out, data

    def may_refresh(self) -> bool:
        if self.refreshes >= MAX_REFRESHES:
            return False
        self.refreshes += 1
        return True
