"""Login recipes: identities that come from logging in, not from a pasted cookie or header.

A recipe says how to log one user in: a method, a path, a form or JSON body, and where the
session comes from (the cookies the answer sets, or a token field of its JSON answer, sent
as `Authorization: Bearer TOKEN` or in a header of the recipe's choice). Written inline,

    --login 'alice=POST:/login:username=alice&password=pw'          (a form body)
    --login 'bob=POST:/api/token:{"user": "bob", "password": "pw"}'  (a JSON body)

or as a YAML/JSON file (`--login alice=@alice.yaml`) with the keys method, path, form or
json, and optionally token (the field) and header / scheme (how it is sent).

Passwords never reach the output: the login exchange is not kept as evidence, its URL is
logged with every secret-looking value masked, and its cookies stay out of the shared jar.
`SessionKeeper` logs each user in through the safety layer and, when a session that has
worked is answered 401 or redirected to a login page, logs that user in again once and
resends."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote, urlsplit

from auditor.errors import AuditorError
from auditor.probe.cookies import cookies_set
from auditor.probe.csrf import CsrfTokens

if TYPE_CHECKING:
    from auditor.probe.interface import Confirmation, Exchange
    from auditor.probe.safety import SafeClient

TOKEN_FIELDS = ("access_token", "accessToken", "token", "jwt", "id_token", "idToken", "auth_token", "authToken",
                "session_token", "sessionToken")
SECRET_KEY = re.compile(r"pass|pwd|secret|token|otp|pin\b|credential|key", re.I)
MASK = "***"
_ACCOUNT_KEY = re.compile(r"user|email|login|account|name", re.I)
MAX_RELOGINS = 10  # per user and run: a session that keeps expiring is not chased for ever


@dataclass(frozen=True)
class LoginRecipe:
    name: str
    method: str
    path: str
    form: dict[str, str] | None = None
    json_body: dict[str, Any] | None = None
    token_field: str = ""  # "" = the first of TOKEN_FIELDS in the answer, else its cookies
    header: str = "Authorization"
    scheme: str = "Bearer"

    @property
    def secrets(self) -> list[str]:
        """The body's values under secret-looking keys (password, pin, otp...): never shown."""
        body = self.form or self.json_body or {}
        return [str(v) for k, v in body.items() if SECRET_KEY.search(k) and str(v)]

    def describe(self) -> str:
        return f"--login {self.name}: {self.method} {self.path}"

    @property
    def account(self) -> str:
        """The user name or mail the recipe signs in with, or "" (a body of a password alone)."""
        body = self.form or self.json_body or {}
        return next((str(v) for k, v in body.items() if _ACCOUNT_KEY.search(k) and not SECRET_KEY.search(k)
                     and isinstance(v, str) and v), "")


def parse_login(spec: str, base: Path | None = None) -> LoginRecipe:
    """`NAME=METHOD:PATH:BODY` (BODY a form `a=1&b=2` or a JSON object) or `NAME=@FILE`."""
    name, eq, rest = spec.partition("=")
    name = name.strip()
    if not eq or not name or not rest:
        raise AuditorError(f"--login {_mask_spec(spec)!r}: expected NAME=METHOD:PATH:BODY or NAME=@FILE")
    if rest.startswith("@"):
        return _from_file(name, (base or Path(".")) / rest[1:] if not Path(rest[1:]).is_absolute() else Path(rest[1:]))
    method, _, tail = rest.partition(":")
    path, _, body = tail.partition(":")
    if not method.isalpha() or not path.startswith("/"):
        raise AuditorError(f"--login {name}: expected METHOD:/path:BODY (for example POST:/login:user=a&password=b)")
    return _recipe(name, {"method": method, "path": path, **_body(name, body)})


def _body(name: str, body: str) -> dict[str, Any]:
    body = body.strip()
    if not body:
        return {}
    if body.startswith("{"):
        try:
            data = json.loads(body)
        except ValueError:
            raise AuditorError(f"--login {name}: the body starts with '{{' but is not valid JSON") from None
        return {"json": data}
    return {"form": dict(parse_qsl(body, keep_blank_values=True))}


def _from_file(name: str, path: Path) -> LoginRecipe:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AuditorError(f"{path}: cannot read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise AuditorError(f"{path}: not valid YAML or JSON ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, dict):
        raise AuditorError(f"{path}: a login recipe is a mapping (method, path, form or json, ...)")
    return _recipe(name, data, where=str(path))


def recipe_from(name: str, data: dict[str, Any]) -> LoginRecipe:
    """A recipe from a mapping with a recipe file's keys (a bench manifest's `login`)."""
    return _recipe(name, data, where=f"login {name}")


def _recipe(name: str, data: dict[str, Any], where: str = "") -> LoginRecipe:
    where = where or f"--login {name}"
    method, path = str(data.get("method", "POST")).upper(), str(data.get("path", ""))
    form, body = data.get("form"), data.get("json")
    if not path.startswith("/"):
        raise AuditorError(f"{where}: `path` must be a path on the target, starting with /")
    if form is not None and body is not None:
        raise AuditorError(f"{where}: give `form` or `json`, not both")
    if form is not None and not isinstance(form, dict):
        raise AuditorError(f"{where}: `form` must be a mapping of field to value")
    if body is not None and not isinstance(body, dict):
        raise AuditorError(f"{where}: `json` must be an object")
    return LoginRecipe(name, method, path, {str(k): str(v) for k, v in form.items()} if form else None, body,
                       str(data.get("token", "")), str(data.get("header", "Authorization")),
                       str(data.get("scheme", "Bearer")))


def _mask_spec(spec: str) -> str:
    """A recipe as typed, with the values of secret-looking fields masked (for error messages)."""
    return re.sub(r"((?:pass|pwd|secret|token|otp|pin|key)\w*[\"']?\s*[=:]\s*[\"']?)([^&\"',}]+)", r"\1" + MASK,
                  spec, flags=re.I)


def mask(text: str, secrets: list[str]) -> str:
    for s in sorted(secrets, key=len, reverse=True):
        text = text.replace(s, MASK).replace(quote(s, safe=""), MASK)
    return text


def find_token(data: object, wanted: str, depth: int = 0) -> str | None:
    """A session token in a login's JSON answer: the field `wanted`, else one of TOKEN_FIELDS,
    up to two levels down."""
    if not isinstance(data, dict) or depth > 2:
        return None
    for key in ((wanted,) if wanted else TOKEN_FIELDS):
        if isinstance(data.get(key), str) and data[key]:
            return str(data[key])
    return next((t for v in data.values() if (t := find_token(v, wanted, depth + 1))), None)


def bearer_of(answer: Exchange) -> dict[str, str] | None:
    """The bearer header of the session token an answer's JSON hands over (a login's, or a
    sign-up that logs the account in at once), or None."""
    try:
        token = find_token(json.loads(answer.text), "")
    except ValueError:
        return None
    return {"Authorization": f"Bearer {token}"} if token else None


def session_of(answer: Exchange, jar: dict[str, str]) -> dict[str, str] | None:
    """The session an answer opened: a token in its JSON (an API that logs the account in at
    once), else the cookies it left in a new visitor's jar; None for a refusal."""
    if answer.status <= 0 or answer.status >= 400:
        return None
    if (bearer := bearer_of(answer)) is not None:
        return bearer
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())} if jar else None


@dataclass
class Session:
    recipe: LoginRecipe
    headers: dict[str, str] = field(default_factory=dict)  # what identifies the user now
    worked: bool = False  # a request with this session was answered without a 401 since its login
    relogins: int = 0
    revivals: int = 0  # restarts of the app before its login: a later one may have lost the session


@dataclass
class SessionKeeper:
    """Logs users in through the safety layer and keeps their sessions fresh: requests that
    still carry a session replaced by a re-login are rewritten to the current one."""

    sessions: list[Session] = field(default_factory=list)
    _stale: dict[tuple[str, str], Session] = field(default_factory=dict)

    def log_in(self, client: SafeClient, recipe: LoginRecipe) -> Session:
        session = Session(recipe, self._login(client, recipe), revivals=len(client.revivals))
        self.sessions.append(session)
        return session

    def _login(self, client: SafeClient, recipe: LoginRecipe) -> dict[str, str]:
        url = client.url_for(recipe.path)
        data = recipe.form if recipe.form is not None and recipe.method not in ("GET", "HEAD") else None
        if recipe.form is not None and data is None:
            url += ("&" if "?" in url else "?") + "&".join(f"{quote(k)}={quote(v)}" for k, v in recipe.form.items())
        page_cookies: dict[str, str] = {}
        headers: dict[str, str] = {}
        if data is not None:
            # What a browser holds before it posts the form: the page's cookies and its anti-CSRF
            # token (Django, Flask-WTF and Rails refuse a login form without them).
            page = client.send("GET", url, as_login=True)
            page_cookies = cookies_set(page.header_values("set-cookie"))
            tokens = CsrfTokens()
            tokens.observe(url, page.text)
            headers, data = tokens.apply("POST", url, {}, data, page_cookies, None)
        ex = client.send(recipe.method, url, headers=headers, cookies=page_cookies, data=data,
                         json_body=recipe.json_body, as_login=True)
        client.log[-1].url = ex.url = mask(ex.url, recipe.secrets)  # a GET login's query
        if ex.status <= 0 or ex.status >= 400:
            raise AuditorError(f"{recipe.describe()} answered {ex.status if ex.status > 0 else 'nothing'}; "
                               "check the recipe's path, fields and credentials")
        try:
            answer = json.loads(ex.text)
        except ValueError:
            answer = None
        token = find_token(answer, recipe.token_field)
        if token:
            return {recipe.header: f"{recipe.scheme} {token}".strip()}
        if recipe.token_field:
            raise AuditorError(f"{recipe.describe()}: the answer has no `{recipe.token_field}` field")
        set_now = cookies_set(ex.header_values("set-cookie"))
        cookies = [f"{k}={v}" for k, v in {**page_cookies, **set_now}.items()]
        # A session the login page started is often signed in as it is, with no cookie set again
        # (express-session): taken unless the answer shows the form again or sends back to it.
        if not set_now and not (page_cookies and not self._refused(ex, recipe)):
            raise AuditorError(f"{recipe.describe()}: the answer set no cookie and carried no token "
                               f"(looked for {', '.join(TOKEN_FIELDS[:3])}...; name one with `token:` in a recipe file)")
        return {"Cookie": "; ".join(cookies)}

    def _refused(self, ex: Exchange, recipe: LoginRecipe) -> bool:
        """A login answered with its form again (a password input), or sent back to a login page."""
        if ex.status in _REDIRECTS:
            location = urlsplit(ex.header("location") or "").path
            return not location or location == urlsplit(recipe.path).path or bool(_LOGIN_PAGE.search(location))
        return bool(_PASSWORD_INPUT.search(ex.text))

    def _owner(self, headers: dict[str, str]) -> Session | None:
        return next((s for s in self.sessions if s.headers and all(headers.get(k) == v for k, v in s.headers.items())),
                    None)

    def current(self, headers: dict[str, str]) -> dict[str, str]:
        """`headers` with any session a re-login replaced swapped for the new one."""
        if not self._stale:
            return headers
        out = dict(headers)
        for k, v in headers.items():
            if (owner := self._stale.get((k, v))) is not None and k in owner.headers:
                out[k] = owner.headers[k]
        return out

    def after(self, client: SafeClient, url: str, headers: dict[str, str], status: int,
              location: str = "") -> dict[str, str] | None:
        """Record how a session's request was answered. A 401, or a redirect to a login page
        (`location`), for a session that has worked since its last login (it expired, or the
        app ended it): log that user in again, once, and return the headers to resend with.
        Not right after a re-login, nor for a request to a login path (a wrong password sent
        by a check is answered the same way)."""
        session = self._owner(headers)
        if session is None:
            return None
        # The app was started again since this login (an input crashed it): sessions it kept in
        # memory are gone, whatever its answer for a lost one looks like (a redirect home).
        restarted = status > 0 and len(client.revivals) > session.revivals
        lost = status == 401 or (status in _REDIRECTS and self._to_login(location)) or restarted
        if status > 0 and not lost:
            session.worked = True
            return None
        path = urlsplit(url).path
        if not lost or not (session.worked or restarted) or session.relogins >= MAX_RELOGINS or \
                any(path == s.recipe.path for s in self.sessions) or _LOGIN_PAGE.search(path):
            return None
        session.relogins += 1
        session.revivals = len(client.revivals)
        session.worked = False
        fresh = self._login(client, session.recipe)
        for k, v in session.headers.items():
            self._stale[(k, v)] = session
        session.headers.clear()
        session.headers.update(fresh)
        return {**headers, **fresh}

    def _to_login(self, location: str) -> bool:
        path = urlsplit(location).path
        return bool(path) and (bool(_LOGIN_PAGE.search(path)) or any(path == s.recipe.path for s in self.sessions))


_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PASSWORD_INPUT = re.compile(r"<input\b[^>]*type\s*=\s*['\"]?password", re.I)
# Where an app sends a visitor without a session: /login, /users/sign_in, /accounts/login/.
_LOGIN_PAGE = re.compile(r"(?:^|/)(?:log[-_]?in|sign[-_]?in)(?:[/.]|$)", re.I)


def scrub(confirmations: list[Confirmation], recipes: list[LoginRecipe]) -> None:
    """Mask the recipes' secrets in the evidence of `confirmations`: a request to a login route
    carries the recipe's password beside the input under test (routes.settle)."""
    secrets = [s for r in recipes for s in r.secrets]
    if not secrets:
        return
    for c in confirmations:
        c.exchange.url = mask(c.exchange.url, secrets)
        c.exchange.request_body = mask(c.exchange.request_body, secrets)


def sign_in(client: SafeClient, recipes: list[LoginRecipe]) -> list[tuple[str, dict[str, str]]]:
    """Log each recipe's user in; (name, headers) per user, the headers kept current by the
    client (a re-login updates them in place)."""
    if not recipes:
        return []
    client.sessions = keeper = SessionKeeper()
    return [(r.name, keeper.log_in(client, r).headers) for r in recipes]


def add_session(client: SafeClient, recipe: LoginRecipe) -> dict[str, str]:
    """Log one more user in beside the run's (an account the probe made during the run); its
    headers, kept current like the others'."""
    if client.sessions is None:
        client.sessions = SessionKeeper()
    return client.sessions.log_in(client, recipe).headers
