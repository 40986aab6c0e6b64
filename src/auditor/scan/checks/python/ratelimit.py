"""Login and token endpoints with no rate limiter (brute force, credential stuffing).

Per file: a login route in a file that shows no limiter, when the stack has no limiter
package (or there is no stack). Per project: a limiter package is installed but neither
applied to the login route nor configured as a global default anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from auditor.scan.checks.python.facts import PyFacts, collect, text
from auditor.scan.checks.python.frameworks import (
    WEB_FRAMEWORKS,
    framework_of,
    graphql_arguments,
    is_django_view,
    route_of,
    spec_route,
)
from auditor.scan.interface import Check, Hit, ProjectCheck, SourceFile
from auditor.stack.model import SubProject

DETECTOR = "py.route.login-rate-limit"
PROJECT_DETECTOR = "py.project.login-rate-limit"
LIMITER_COMPONENTS = frozenset({"flask-limiter", "slowapi", "django-ratelimit"})
_LOGIN_PATH = re.compile(r"(?:^|/)(?:login|log-in|signin|sign-in|sign_in|token|authenticate|auth/token|jwt/create|"
                         r"password[-_/]?reset|forgot[-_]?password|reset[-_]?password|otp|verify[-_]?otp|2fa|mfa)(?:/|$|\?)")
_LOGIN_NAME = re.compile(r"^(?:login|log_in|signin|sign_in|token|login_view|login_for_access_token|"
                         r"obtain_token|get_token|authenticate_user_view|api_login|user_login|password_reset|"
                         r"forgot_password|verify_otp)$")
_LOGIN_BASES = re.compile(r"\b(?:LoginView|TokenObtainPairView|TokenObtainSlidingView|ObtainAuthToken|"
                          r"ObtainJSONWebToken|KnoxLoginView)\b")
# View methods that receive credentials, and what in their body shows a password check
# (Django's authenticate, a hash check, Django's login form, DRF's and SimpleJWT's credential
# serializers). A bare login() is not one: sign-up views log the new user in too.
_CREDENTIAL_METHODS = frozenset({"post", "create"})
_CREDENTIAL_MARKERS = ("authenticate(", "check_password", "AuthenticationForm", "AuthTokenSerializer",
                       "TokenObtainPairSerializer", "TokenObtainSerializer")
# A lookup that matches a secret the client sent against the stored one: the view is a
# credential (or one-time code) check whatever its name (`User.objects.filter(name=n, password=p)`,
# `Otp.objects.filter(email=e, otp=code)`).
_CREDENTIAL_LOOKUP = re.compile(r"\.(?:filter|get|filter_by|exclude)\s*\([^\n]*?\b(?:password|passwd|pwd|otp|otp_code|"
                                r"one_time_code|pin|pin_code|totp)\s*=\s*(?!None\b|['\"])\w")
# The request's posted body (Django, DRF, Flask, Bottle, aiohttp's `await request.post()`).
_POSTED = re.compile(r"request\.(?:POST|data|form|forms|json|get_json\(|post\(\)|json\(\))")
# GraphQL arguments that carry a secret to check, and operations that set one rather than check it.
_SECRET_ARG = re.compile(r"^(?:password|passwd|pwd|passcode|pin|otp|totp|otp_code)$")
_SETS_SECRET = re.compile(r"(?i)create|register|sign_?up|add|new|change|update|reset|set")
_LIMITER_TEXT = re.compile(r"[Ll]imiter|ratelimit|RateLimit|rate_limit|@limits\(|throttle|Throttle|slowapi|axes|"
                           r"sleep_and_retry|fastapi_limiter")
_GLOBAL_LIMIT = re.compile(r"default_limits|application_limits|DEFAULT_THROTTLE_CLASSES|AxesMiddleware|AxesBackend|"
                           r"AxesStandaloneBackend|['\"]axes['\"]|SlowAPIMiddleware|RATELIMIT_DEFAULT|RATELIMIT_ENABLE")


def login_endpoints(src: SourceFile, facts: PyFacts) -> list[Node]:
    """Name nodes of the login/token handlers defined in the file."""
    out: list[Node] = []
    login_classes: list[Node] = []
    framework = framework_of(src, facts)
    for fn in facts.functions:
        name_node = fn.node.child_by_field_name("name")
        if name_node is None:
            continue
        route = route_of(fn) or (spec_route(src, fn) if framework in (None, "flask") else None)
        if route is not None:
            if "post" in route.methods and (_LOGIN_PATH.search(route.path) or _LOGIN_NAME.match(fn.name)):
                out.append(name_node)
            continue
        graphql = graphql_arguments(fn)
        if graphql is not None:
            # A resolver or mutation that checks a secret the query sends (a login, an admin
            # password gating an operation): guessable by as many queries as the client sends.
            owner = text(fn.klass.child_by_field_name("name")) if fn.klass is not None else ""
            if any(_SECRET_ARG.match(n) for n, _ in graphql) and not _SETS_SECRET.search(f"{owner} {fn.name}"):
                out.append(name_node)
            continue
        body = text(fn.node)
        if (fn.klass is None and not is_django_view(fn) and _LOGIN_NAME.match(fn.name)
                and _POSTED.search(body) and "password" in body):
            # A login function reading the framework's global request (Bottle, Flask without
            # a decorator: registered elsewhere, `app.route("/login", callback=login)`).
            out.append(name_node)
            continue
        if framework not in (None, "django") or not is_django_view(fn):
            continue
        if fn.klass is None and _LOGIN_NAME.match(fn.name) and (_checks_credentials(body) or "login(" in body):
            out.append(name_node)
        elif fn.klass is None and _CREDENTIAL_LOOKUP.search(body) and re.search(r"request\.(?:POST|GET|data)\b", body):
            out.append(name_node)
        elif fn.klass is None and _POSTED.search(body) and _checks_credentials(body):
            # A function view checking a posted password whatever its name (an aiohttp index
            # view that logs in on POST).
            out.append(name_node)
        elif fn.klass is not None and fn.name in _CREDENTIAL_METHODS and _checks_credentials(text(fn.node)):
            # A class-based view (DRF APIView, Django View) whose POST checks a password:
            # reported on the class, where throttle_classes would go.
            login_classes.append(fn.klass)
    for klass in facts.classes:
        if _LOGIN_BASES.search(text(klass.child_by_field_name("superclasses"))):
            login_classes.append(klass)
    seen: set[int] = set()
    for klass in login_classes:
        name = klass.child_by_field_name("name")
        if name is not None and klass.start_byte not in seen:
            seen.add(klass.start_byte)
            out.append(name)
    return out


def _checks_credentials(body: str) -> bool:
    return any(marker in body for marker in _CREDENTIAL_MARKERS)


def _candidates(src: SourceFile) -> list[Node]:
    if not re.search(r"login|token|signin|sign_in|password|otp|LoginView|Obtain", src.text):
        return []
    if _LIMITER_TEXT.search(src.text):
        return []
    facts = collect(src)
    if not facts.ok:
        return []
    return login_endpoints(src, facts)


class LoginRateLimitCheck(Check):
    languages = frozenset({"python"})
    detectors = (DETECTOR,)

    def run(self, src: SourceFile) -> Iterable[Hit]:
        if src.project is not None and src.project.ids() & LIMITER_COMPONENTS:
            return []  # a limiter is installed: the project check judges whether it is applied
        nodes = _candidates(src)
        if not nodes:
            return []
        framework = framework_of(src, collect(src))
        msg = "login/token endpoint without a rate limiter: limit attempts per IP and per account"
        return [Hit.at(DETECTOR, n, msg, framework=framework) for n in nodes]


class ProjectLoginRateLimitCheck(ProjectCheck):
    detectors = (PROJECT_DETECTOR,)

    def run(self, project: SubProject, files: list[SourceFile]) -> Iterable[Hit]:
        ids = project.ids()
        if not ids & LIMITER_COMPONENTS or not ids & set(WEB_FRAMEWORKS):
            return []
        python_files = [f for f in files if f.language == "python"]
        if any(_GLOBAL_LIMIT.search(f.text) for f in python_files):
            return []
        hits: list[Hit] = []
        for src in python_files:
            for node in _candidates(src):
                hits.append(Hit(PROJECT_DETECTOR, node.start_point[0] + 1, node.start_point[1] + 1, node.end_point[0] + 1,
                                "limiter installed but not applied to this login/token endpoint (no decorator, no default limit)",
                                path=src.path))
        return hits


CHECKS = [LoginRateLimitCheck(), ProjectLoginRateLimitCheck()]
