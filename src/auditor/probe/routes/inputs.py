"""Where a handler reads its inputs: per-language tables of request expressions and the
location each one means (query, form, json, header, cookie), applied to a handler's body.

`request.args.get("q")` is a query parameter `q`; `data = request.get_json()` followed by
`data["role"]` is a JSON key `role`; `const { token } = req.cookies` is a cookie `token`."""

from __future__ import annotations

import re
from dataclasses import replace

from auditor.probe.interface import ITERATED_NAME, RAW_BODY, Param
from auditor.probe.routes.common import add_param

PYTHON_SOURCES: list[tuple[str, str]] = [
    (r"request\.args", "query"), (r"request\.values", "query"), (r"request\.GET", "query"),
    (r"request\.query_params", "query"), (r"request\.form", "form"), (r"request\.POST", "form"),
    (r"\(?await\s+request\.form\(\)\)?", "form"), (r"\(?await\s+request\.post\(\)\)?", "form"),
    (r"request\.rel_url\.query", "query"), (r"request\.query\b", "query"),
    (r"\(\s*request\.get_json\([^)]*\)\s+or\s+\{\}\s*\)", "json"), (r"request\.get_json\([^)]*\)", "json"), (r"request\.json(?!\()", "json"), (r"request\.data", "json"),
    (r"\(?await\s+request\.json\(\)\)?", "json"), (r"json\.loads\(\s*request\.(?:body|data)[^)]*\)", "json"),
    (r"json\.loads\(\s*request\.get_data\([^)]*\)\s*\)", "json"),
    (r"request\.headers", "header"), (r"request\.META", "header"),
    (r"request\.cookies", "cookie"), (r"request\.COOKIES", "cookie"),
    (r"request\.files", "file"), (r"request\.FILES", "file"),
]

JS_SOURCES: list[tuple[str, str]] = [
    (r"(?:req|request|ctx\.request|ctx)\.query", "query"),
    # The query string parsed by hand: url.parse(req.url, true).query (Node's legacy parser),
    # querystring.parse(url.parse(req.url).query), new URL(req.url, base).searchParams (below).
    (r"(?:\b(?:url|URL)\.)?\bparse\(\s*(?:req|request)\.(?:url|originalUrl)\s*,\s*true\s*\)\s*\.\s*query", "query"),
    (r"\b(?:querystring|qs)\.parse\(\s*(?:\b(?:url|URL)\.)?\bparse\(\s*(?:req|request)\.(?:url|originalUrl)\s*\)\s*\.\s*query\s*\)", "query"),
    (r"(?:req|request|ctx\.request)\.body", "body"),
    (r"(?:req|request|ctx\.request)\.files", "file"),  # express-fileupload's and multer's fields by name
    (r"(?:req|request|ctx\.request|ctx)\.headers", "header"),
    (r"(?:req|request|ctx)\.cookies", "cookie"),
    (r"(?:req|request|ctx)\.params", "path"),
    (r"(?:await\s+)?(?:req|request)\.json\(\)", "json"),
    (r"(?:await\s+)?(?:req|request)\.formData\(\)", "form"),
    (r"(?:request\.nextUrl\.|url\.|new URL\([^)]*\)\.)?searchParams", "query"),
    (r"(?:await\s+)?cookies\(\)", "cookie"),
    (r"(?:await\s+)?headers\(\)", "header"),
]
# Accessor calls that name a header or cookie directly: req.get('X-Api-Key'), ctx.cookies.get('sid').
JS_CALLS: list[tuple[str, str]] = [
    (r"(?:req|request|ctx)\.(?:get|header)", "header"),
    (r"ctx\.get", "header"),
]

_KEY = r"""\s*['"`]([^'"`\s]{1,80})['"`]"""


def _aliases(body: str, sources: list[tuple[str, str]], python: bool) -> list[tuple[str, str]]:
    """(regex, location) for every source plus each local name bound to one."""
    found = list(sources)
    for pattern, loc in sources:
        # An annotation stays on its line: `try:` or `else:` ending the line above is no name.
        assign = (r"\b([A-Za-z_]\w*)[ \t]*(?::[ \t]*[\w\[\], \t]+)?=[ \t]*" if python
                  else r"\b(?:const|let|var)?\s*([A-Za-z_$][\w$]*)\s*=\s*")
        for m in re.finditer(assign + pattern + r"(?!\s*[\[.(]\s*['\"\w])", body):
            found.append((r"\b" + re.escape(m.group(1)) + r"\b", loc))
        # A dict the input is merged into reads its keys: `data.update(request.get_json())`,
        # `Object.assign(user, req.body)`.
        merge = (r"\b([A-Za-z_]\w*)\.update\(\s*" if python
                 else r"\bObject\.assign\(\s*([A-Za-z_$][\w$.]*)\s*,\s*")
        for m in re.finditer(merge + pattern + r"\s*\)", body):
            found.append((r"\b" + re.escape(m.group(1)) + r"\b", loc))
    return found


def _header_name(key: str) -> str:
    if key.startswith("HTTP_"):
        return "-".join(part.capitalize() for part in key[5:].split("_"))
    return key


# A module-level constant that names an input (`secret_param = 'usefilename'`, then
# `request.args.get(secret_param)`): the reads below see the name only where it is quoted.
_CONSTANT = re.compile(r"""^(?:(?:export\s+)?(?:const|let|var)\s+)?([A-Za-z_]\w*)\s*=\s*(['"])([\w.\-\[\]]{1,80})\2\s*;?\s*$""", re.M)


def inline_constants(source: str) -> str:
    """`source` with each module-level string constant written out where it is the key of a
    read (`.get(NAME)`, `[NAME]`), on the same line (line numbers stay)."""
    constants = {m.group(1): m.group(3) for m in _CONSTANT.finditer(source)}
    if not constants:
        return source
    names = "|".join(re.escape(n) for n in constants)
    return re.sub(rf"(\.get\(\s*|\[\s*)({names})(?=\s*[,)\]])", lambda m: f"{m.group(1)}'{constants[m.group(2)]}'", source)


def _emit(params: list[Param], key: str, loc: str, body_kinds: tuple[str, ...], example: str = "") -> None:
    if loc == "header":
        key = _header_name(key)
        if key.lower() in ("content-type", "content-length", "host", "cookie", "http_host"):
            return
    for kind in (body_kinds if loc == "body" else (loc,)):
        add_param(params, key, kind)
        if example:
            params[:] = [Param(p.name, p.location, example) if (p.name, p.location) == (key, kind) and not p.example
                         else p for p in params]


# A request wrapper: a local made from the request (`w = RequestWrapper(request)`), whose
# accessors take the input's name (`w.get_form_parameter("q")`); the accessor's name says where
# the input enters (query when it does not say).
_WRAPPER = re.compile(r"\b([A-Za-z_]\w*)\s*=\s*[\w.]+\(\s*request\s*\)")
_WRAPPER_WORDS = (("cookie", "cookie"), ("header", "header"), ("form", "form"), ("post", "form"), ("body", "form"),
                  ("json", "json"))
# The query string parsed by hand: `request.query_string` searched for `"name" + "="` or `"name="`.
_RAW_QUERY = re.compile(r"request\.query_string|QUERY_STRING")
_RAW_QUERY_KEY = re.compile(r"""['"]([\w.\-\[\]]{1,80})['"]\s*\+\s*['"]=['"]|['"]([\w.\-\[\]]{1,80})=['"]""")


def _hand_parsed(body: str, params: list[Param]) -> None:
    """Python inputs read through a request wrapper or from the raw query string."""
    for m in _WRAPPER.finditer(body):
        for call in re.finditer(r"\b" + re.escape(m.group(1)) + r"\.(\w+)\(" + _KEY, body):
            method = call.group(1).lower()
            loc = next((where for word, where in _WRAPPER_WORDS if word in method), "query")
            _emit(params, call.group(2), loc, ("form",))
    if _RAW_QUERY.search(body):
        for m in _RAW_QUERY_KEY.finditer(body):
            _emit(params, m.group(1) or m.group(2), "query", ("form",))


def body_inputs(body: str, language: str, body_kinds: tuple[str, ...] = ("json",)) -> list[Param]:
    """Inputs a handler body reads, in order of appearance. `body_kinds` says what a JS
    `req.body` is in this app (json, form, or both, from the body parsers it installs)."""
    python = language == "python"
    params: list[Param] = []
    for pattern, loc in _aliases(body, PYTHON_SOURCES if python else JS_SOURCES, python):
        expr = r"(?:" + pattern + r")"
        accessors = [expr + r"\s*\[" + _KEY + r"\s*\]",
                     expr + r"\s*\.\s*(?:get|getlist|getAll|get_all|has|pop)\s*\(" + _KEY]
        if not python:
            accessors.append(expr + r"\s*\??\.\s*([A-Za-z_$][\w$]*)\b(?!\s*\()")
        for acc in accessors:
            for m in re.finditer(acc, body):
                _emit(params, m.group(1), loc, body_kinds)
        if python:  # a membership test names its key: `if "X-Api-Key" not in request.headers:`
            for m in re.finditer(_KEY + r"\s+(?:not\s+)?in\s+" + expr + r"(?![\w.\[(])", body):
                _emit(params, m.group(1), loc, body_kinds)
        if python and re.search(_RENDERS + r"(?:[^()]|\([^()]*\))*?[:=,(]\s*" + expr + r"\s*[,)}]", body):
            # the whole mapping handed to a page or an answer (`render(..., {'s': request.META})`):
            # every key shows, a header of the probe's own too
            _emit(params, ITERATED, loc, body_kinds)
        if re.search(r"\bfor\b[^\n]*?\b(?:in|of)\s+" + expr + r"\s*(?::|\)|\])|Object\.(?:keys|entries)\(\s*" + expr + r"\s*\)|" + expr + r"\s*\.\s*(?:items|keys|to_dict|entries)\s*\(", body):
            # the handler reads every key: its names matter. A key it picks by its value (`if
            # "x" in request.form.getlist(name)`) is sent with that value.
            wanted = re.search(_KEY + r"\s*(?:in|==)\s*" + expr + r"\s*(?:\.\s*(?:getlist|get)\s*\(|\[)\s*[A-Za-z_]", body) \
                if python else None
            _emit(params, ITERATED, loc, body_kinds, example=wanted.group(1) if wanted else "")
        if not python:  # const { a, b: c = 1 } = req.query
            for m in re.finditer(r"\{([^{}=]*(?:=[^{},]*)?[^{}]*)\}\s*=\s*" + expr + r"(?![\w.\[])", body):
                for part in m.group(1).split(","):
                    name = part.split(":")[0].split("=")[0].strip().lstrip(".")
                    if re.fullmatch(r"[A-Za-z_$][\w$]*", name):
                        _emit(params, name, loc, body_kinds)
    if python:
        _hand_parsed(body, params)
        _raw_body(body, params)
    _mark_decoded(body, params, python)
    if not python:
        _mark_arrays(body, params)
    compared_values(body, params)
    if not python:
        for pattern, loc in JS_CALLS:
            for m in re.finditer(r"\b" + pattern + r"\s*\(" + _KEY, body):
                _emit(params, m.group(1), loc, body_kinds)
    return [p for p in params if p.name not in _NOT_INPUTS]


# Calls only an array answers (`files.join(' ')`, `ids.map(...)`): a string there is a TypeError
# before the code under it runs.
_ARRAY_CALL = r"(?<![\w$])(?:[\w$]+\s*\??\.\s*)*{name}\s*\??\.\s*(?:join|map|forEach|filter|reduce|some|every|flatMap)\s*\("
ARRAY_SHAPE = '["1"]'


def _mark_arrays(body: str, params: list[Param]) -> None:
    """JSON inputs the JavaScript handler treats as arrays take an array's shape: payloads then go
    out as a one-item array (see the sender)."""
    for i, p in enumerate(params):
        if p.location == "json" and not p.shape and re.search(_ARRAY_CALL.format(name=re.escape(p.name)), body):
            params[i] = replace(p, shape=ARRAY_SHAPE)


# A value the handler compares an input with (`action === 'test'`, `case 'test':` of a switch on it,
# `mode == "x"`, `kind in ("a", "b")`): the branch behind it runs only for that value.
_LITERAL = r"""(['"`])([\w.-]{1,40})\1"""
_COMPARED = (r"""\[\s*['"`]NAME['"`]\s*\]\s*(?:===?|!==?)\s*""" + _LITERAL,
             r"""\.get\(\s*['"`]NAME['"`]\s*\)\s*(?:===?|!==?)\s*""" + _LITERAL,
             r"(?<![\w$])(?:[\w$]+\.)*NAME(?:\.\w+\(\))*\s*(?:===?|!==?)\s*" + _LITERAL,
             _LITERAL + r"\s*(?:===?|!==?)\s*(?:[\w$]+\.)*NAME(?![\w$])",
             r"\bswitch\s*\(\s*(?:[\w$]+\.)*NAME\s*\)\s*\{[^{}]*?\bcase\s+" + _LITERAL,
             # `is_admin.lower() in ['true', '1']`: a case folded first
             r"(?<![\w$])(?:[\w$]+\.)*NAME(?:\.\w+\(\))*\s+in\s*[(\[{]\s*" + _LITERAL)


def compared_values(body: str, params: list[Param]) -> None:
    """An input with no example takes the first literal the handler compares it with, unless that
    literal names a deletion or a change (`action === 'delete'`: the probe never asks for one)."""
    from auditor.probe.safety import destroys

    for i, p in enumerate(params):
        if p.example or p.location not in ("query", "form", "json", "header", "cookie"):
            continue
        identifier = bool(re.fullmatch(r"[A-Za-z_$][\w$]*", p.name))
        for pattern in _COMPARED if identifier else _COMPARED[:2]:
            m = re.search(pattern.replace("NAME", re.escape(p.name)), body)
            if m is not None and not destroys("/" + m.group(2)) and not _CHANGES & set(name_words(m.group(2))):
                params[i] = replace(p, example=m.group(2))
                break


_CHANGES = frozenset({"update", "edit", "reset", "drop", "truncate", "wipe", "clear", "disable", "revoke"})


# A base64 decode of a value: Python's base64 module (`decodestring` is Python 2's name), Node's
# Buffer and atob. `{v}` is the value's name.
_B64_DECODE = {
    True: r"(?:b64decode|decodestring|decodebytes)\s*\((?:[^()]|\([^()]*\))*?\b{v}\b",
    False: r"(?:\bBuffer\.from\(\s*(?:[\w$.]+\.)?{v}\s*,\s*['\"]base64['\"]|\batob\(\s*(?:[\w$.]+\.)?{v}\b)",
}


def _mark_decoded(body: str, params: list[Param], python: bool) -> None:
    """Inputs the handler base64-decodes before use, read directly or through a local assigned
    from their accessor (`first_name = request.POST.get('first_name')`, then
    `exec(base64.b64decode(first_name))`)."""
    for i, p in enumerate(params):
        names = {p.name} | {m.group(1) for m in re.finditer(
            r"\b([A-Za-z_$][\w$]*)\s*=[^=\n][^\n]*(?:['\"`]" + re.escape(p.name) + r"['\"`]|\." + re.escape(p.name) + r"\b)",
            body)}
        if any(re.search(_B64_DECODE[python].format(v=re.escape(n)), body) for n in names if re.fullmatch(r"[\w$]+", n)):
            params[i] = replace(p, decoded="base64")


# The body read whole, as bytes or text: Flask's get_data(), Starlette's `await request.body()`, a
# WSGI stream, Django's request.body (JSON parsed from it is the `json` source above).
_RAW_BODY_HEAD = r"request\.(?:get_data|stream|body)"  # the start of each read below
_RAW_BODY_READ = r"request\.get_data\([^)]*\)|request\.stream\.read\([^)]*\)|await\s+request\.body\(\)|request\.body\b(?!\s*[.(\[])"


def _raw_body(body: str, params: list[Param]) -> None:
    """The whole body as one input (`RAW_BODY`) where the handler reads it raw and not only to
    parse it as JSON: `pickle.loads(base64.b64decode(request.get_data()))`, `yaml.load(body)`.
    Base64-decoded (directly, or through the local it was assigned to): payloads go out encoded."""
    if not any(not re.search(r"json\.loads\(\s*$", body[:m.start()]) for m in re.finditer(_RAW_BODY_READ, body)):
        return
    # the read itself, or a local it was assigned to, inside a base64 decode (the decode patterns of
    # _mark_decoded)
    names = [_RAW_BODY_HEAD] + [re.escape(m.group(1)) for m in
                                re.finditer(r"\b([A-Za-z_]\w*)[ \t]*=[ \t]*(?:" + _RAW_BODY_READ + ")", body)]
    decoded = any(re.search(_B64_DECODE[True].format(v=n), body) for n in names)
    if not any(p.location == "body" for p in params):
        params.append(Param(RAW_BODY, "body", decoded="base64" if decoded else ""))


# Calls that put a value into a page or an answer.
_RENDERS = r"\b(?:render|render_template|render_to_response|TemplateResponse|jsonify|JsonResponse|Response)\("

# The stand-in name for "any key" when a handler iterates over a container.
ITERATED = ITERATED_NAME

# Accessor names that are methods of the container, not inputs.
_NOT_INPUTS = frozenset({"get", "getlist", "items", "keys", "values", "length", "entries", "forEach", "then",
                         "to_dict", "copy", "dict", "has", "getAll", "toString"})


# Plausible values by input name, for the inputs a request carries beside the one under test:
# an app that validates its form (a mail that must look like a mail, a date, a phone number)
# answers the usual filler `1` with a 400 before the code under test runs. Matched on the name's
# words (`ship_date`, `userEmail`, `contact-phone`); the first match wins; other names keep `1`.
# A password the usual rules accept (the filler of password inputs, and the password of the
# accounts the probe makes).
PASSWORD_FILLER = "Probe-pass-8271!"
_FILLERS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\w*mail"), "probe@example.com"),
    (re.compile(r"phone|tel|telephone|mobile|cell|fax"), "5550100"),
    (re.compile(r"date|dob|birthday|birthdate"), "2024-01-15"),
    # where a redirect goes too (`?redirect=`, `?next=`, `returnTo`): a usual value that is a URL lets
    # the redirect run at all (Django's redirect() fails on a bare word)
    (re.compile(r"\w*url|uri|link|website|homepage|callback|webhook|redirect|goto|destination"), "{origin}/"),
    # a money amount of two digits: a price field may arrive with a currency sign the app strips
    (re.compile(r"price|amount|cost|total|balance|salary|fee"), "10"),
    (re.compile(r"zip|zipcode|postcode|postal"), "12345"),
    # a card's security code and expiry (`cvv`, `expiry_month`, `exp_year`)
    (re.compile(r"cvv|cvc|csc|cvv2"), "123"),
    (re.compile(r"month|mm"), "12"),
    (re.compile(r"year|yyyy"), "2030"),
    # a URL's scheme the code builds the URL with (`f"{scheme}://{host}..."`)
    (re.compile(r"scheme|protocol|proto"), "http"),
    # long enough and mixed enough for the usual password rules: a handler that refuses a short
    # password (`len(password) < 3`) does so before it runs the query beside it
    (re.compile(r"password|passwd|pass|pwd"), PASSWORD_FILLER),
]


def name_words(name: str) -> list[str]:
    """The lower-case words of an input name: `ship_date`, `userEmail`, `contact-phone`."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    return [w for w in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if w]


# Words that make an input the repetition of another (`password_again`, `confirm_password`,
# `passwordConfirmation`): a form that checks the two are equal uses neither until they are.
_REPEAT_WORDS = frozenset({"again", "confirm", "confirmation", "confirmed", "repeat", "repeated", "retype",
                           "verify", "verification", "re"})
_TYPED_TWICE = frozenset({"password", "passwd", "pass", "pwd", "email", "mail", "pin"})


def repeats(name: str, of: str) -> bool:
    """Whether input `name` repeats input `of`: `password_again`, `confirm_password` or
    `password2` of `password`; `confirmPassword` of `newPassword` too."""
    words, base = name_words(name), name_words(of)
    if not words or not base or words == base:
        return False
    if words[-1].endswith("2") and [*words[:-1], words[-1][:-1]] == base:
        return base[-1] in _TYPED_TWICE  # `password2`, not `id2`
    rest = [w for w in words if w not in _REPEAT_WORDS]
    return len(rest) < len(words) and rest in (base, [w for w in base if w != "new"])


def filler(name: str, origin: str) -> str:
    """A value that passes the usual validation for an input called `name` ("" = no opinion,
    the sender's `1`). A URL filler points at `origin`, a loopback origin of the probe's (its
    callback server in a run), never elsewhere."""
    words = name_words(name)
    if words == ["grant", "type"]:  # an OAuth 2 token endpoint's login form: the password grant
        return "password"
    if words in (["next"], ["return"], ["dest"]):  # `?next=`, not `nextPage`
        return origin.rstrip("/") + "/"
    if {"card", "cc", "credit"} & set(words) and {"number", "num", "no"} & set(words) or "pan" in words:
        return "4111111111111111"  # a payment card number the Luhn check and length rules accept (a test number)
    for pattern, value in _FILLERS:
        if any(pattern.fullmatch(w) for w in words):
            return value.replace("{origin}", origin.rstrip("/"))
    return ""
