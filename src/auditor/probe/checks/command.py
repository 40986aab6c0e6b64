"""Command injection: shell arithmetic after a marker token (`echo audXXXX$((a*b))`), so the
token followed by the product can only appear if a shell ran it. Payloads only echo.

A shell whose output never comes back (`os.system(... + x + " >> log")`) is found by time: a
`$(sleep n)` answers n s later than the baseline, twice, and not
with `sleep 0`. Sleeping is harmless, and one request is all a point that does not wait costs.

A handler that starts the shell and answers without waiting for it (node's `exec` with a
callback or none) shows neither output nor time, on this request or a later one. What such a
shell can still show is a fetch of auditor's callback server, so the first blind request is
`$(curl -s URL||wget -q -O- URL||sleep n)` (the sleep only where no fetch worked): the URL is on 127.0.0.1 (the callback server,
only when the target itself is on loopback, so the fetch never leaves the machine's loopback)
and its path is a one-time token followed by `$((a*b))`. The server seeing the token with the
product proves a shell ran it: an app that merely fetches URLs found in its input (SSRF) would
request the literal `$((a*b))`. The fetch writes nothing (output to stdout, an empty body that
the substitution turns into nothing), and, like SSRF, no request waits for it: late ones are
collected by `settle` at the end of the run. A shell the handler waits for (`os.system`) runs the
fetch before it answers: seen then, it is proven at once, and nothing sleeps. Where the fetch
fails (no curl or wget), that request sleeps and is the first of the time proof's two slow ones."""

from __future__ import annotations

import re

from auditor.probe.callback import CallbackServer, heard_late
from auditor.probe.checks.canary import delay_proof, fresh, numbers, token
from auditor.probe.checks.sql_code import source_lines
from auditor.probe.interface import Confirmation, Exchange, InjectionPoint, PointCheck, ProbeContext, Sender
from auditor.probe.profile import PointProfile, plain_echo
from auditor.probe.safety import is_loopback, origin_of

# The first three cover an unquoted, a single-quoted and a double-quoted context; the rest are
# sent only when one of those was not answered like the harmless canary.
# Blind shape: command substitution, which runs unquoted and in double quotes and passes filters
# of `;`, `&` and backticks. {d} is the delay. One shape: every body or URL value pays for it.
BLIND = ("{v}$(sleep {d})",)
# A filter that strips `$`, `;`, `&`, `|` and backticks leaves the new line, a command separator
# too: the value's line ends, `sleep` runs on its own line, and a quote closes what the template
# opens. Unquoted, the first sleep runs and the quoted rest is a command not found; inside double
# quotes the first new line is part of the string and the second sleep runs: one wait either way.
# Tried only where the route's file can run commands at all (FILE_RUNS_COMMANDS): one request more.
NEWLINE_BLIND = '{v}\nsleep {d}\n"\nsleep {d}\n"'
FILE_RUNS_COMMANDS = re.compile(r"\bchild_process\b|\bos\.(?:system|popen)\b|\bsubprocess\b|\bcommands\.getoutput|"
                                r"\bRuntime\.getRuntime\(\)|\bProcessBuilder\b|\bshell_exec\b|\bexeca?\b|\bshelljs\b")
BLIND_LOCATIONS = ("query", "form", "json", "path", "body", "filename")
SHAPES = ("{v};{c}", "{v}';{c};'", '{v}";{c};"', "{v}|{c}", "{v}&&{c}", "{v}\n{c}", "$({c})", "`{c}`")
FIRST = 3
# The first three in one request, sent before them: unquoted, the first `;` runs the command and
# ` #` comments out the rest of the line; in single quotes, the second one does; in double
# quotes, the third one does (and the shell already expands the arithmetic inside the quotes).
# Answered like the harmless canary, it settles the point for all three.
COMBINED = "{v};{c} #';{c} #\";{c} #"
# The out-of-band fetch (see above). Its exact spelling is what the safety layer lets through
# (safety.LOOPBACK_FETCH): a loopback URL, bounded time, output to stdout only.
# No proxy either way, so a proxy set in the app's environment cannot carry the fetch off the machine.
# The sleep of the blind shape ({d}) runs only where neither fetch worked (no fetcher, or no way
# to auditor's server): a shell that fetched is proven by the fetch, one that could not by time.
FETCH = "$(curl -s -m 3 --noproxy 127.0.0.1 {url}||wget -q -T 3 --no-proxy -O- {url}||sleep {d})"


class CommandInjection(PointCheck):
    name = "command"
    category = "command-injection"

    listens = True  # settle() waits for late callbacks only
    attacks_file_names = True
    SETTLE = 0.5  # seconds the run's end waits for late fetches, once for all of them

    def __init__(self) -> None:
        self.pending: list[tuple[str, Exchange, InjectionPoint]] = []  # (path canary, exchange, point)

    def worth(self, point: InjectionPoint, profile: PointProfile) -> bool:
        # A shell's output shows, or its failure does, for quotes or separators; a value of the
        # request body or URL may also reach a shell whose output never comes back (tried by time).
        return profile.special or self._blind_point(point)

    @staticmethod
    def _blind_point(point: InjectionPoint) -> bool:
        # A header the code reads is a value like any other (the Referer every crawled page
        # gets as a guess is not tried blind: one more request on every page).
        return not point.in_name and (point.param.location in BLIND_LOCATIONS or
                                      point.param.location == "header" and point.param.name.lower() != "referer")

    def run(self, sender: Sender, ctx: ProbeContext, point: InjectionPoint) -> Confirmation | None:
        base = sender.baseline(point)
        value = point.param.example or "1"
        profile = ctx.profile(point)
        echoed = 0
        visible = profile is None or profile.influenced or profile.reflected or profile.special
        shapes: tuple[str, ...] = SHAPES
        if visible and profile is not None:
            tok, (a, b) = token(), numbers(100, 999)
            payload = COMBINED.format(v=value, c=f"echo {tok}$(({a}*{b}))")
            ex = sender.send(point, payload)
            if fresh(ex, f"{tok}{a * b}", base):
                return Confirmation(self.category, self.name,
                                    f"command injection: {point.label} reaches a shell (it ran echo and arithmetic)",
                                    ex, f"{tok}{a * b}", point, severity="critical")
            visible = not plain_echo(profile, ex, payload)  # else: no quote or separator changed the answer
            # Something changed the answer but no shell ran the three quotings: the separators a
            # filter may have left (`|`, `&&`, a new line) and the substitutions are tried next.
            shapes = SHAPES[FIRST:]
        for i, shape in enumerate(shapes if visible else ()):
            if shapes is SHAPES and i == FIRST and echoed == FIRST:
                break  # no shell character changed the answer
            tok, (a, b) = token(), numbers(100, 999)
            payload = shape.format(v=value, c=f"echo {tok}$(({a}*{b}))")
            ex = sender.send(point, payload)
            echoed += plain_echo(profile, ex, payload)
            canary = f"{tok}{a * b}"
            if fresh(ex, canary, base):
                return Confirmation(self.category, self.name,
                                    f"command injection: {point.label} reaches a shell (it ran echo and arithmetic)",
                                    ex, canary, point, severity="critical")
        if ctx.delay <= 0 or not self._blind_point(point):
            return None
        for shape in BLIND + ((NEWLINE_BLIND,) if runs_commands(ctx, point) else ()):
            slow = shape.format(v=value, d=f"{ctx.delay:g}")
            # the fetch is a substitution too; not in a file name, which holds no URL's slashes
            # (the upload is saved under that name before any shell sees it)
            fetch = self._fetch(ctx) if "$" in shape and point.param.location != "filename" else None
            first = None
            if fetch is not None:  # the first slow request is the fetch, sleeping if it fails: no request more
                first = sender.send(point, value + fetch[1])
                if isinstance(ctx.callback, CallbackServer) and ctx.callback.seen(fetch[0]):
                    # A shell that the handler waited for fetched during the request: that proves
                    # it as the late fetch would, and no time proof is needed.
                    return self._fetched(first, fetch[0], point, "during the request")
                self.pending.append((fetch[0], first, point))
            # That request's answer is the first of the two slow ones (not sent again).
            found = delay_proof(sender, point, slow, shape.format(v=value, d="0"), base.elapsed, ctx.delay, first)
            if found is not None:
                return Confirmation(self.category, self.name,
                                    f"command injection (time-based): {point.label} reaches a shell (a "
                                    f"{ctx.delay:g} s sleep delays the answer, twice, and a zero sleep does not)",
                                    found, slow, point, severity="critical")
        return None

    @staticmethod
    def _fetch(ctx: ProbeContext) -> tuple[str, str] | None:
        """(what the callback server must see, the fetch to put before a value), or None when
        there is no callback server or the target is not on loopback (127.0.0.1 would then be
        the target's own machine, not auditor's)."""
        server = ctx.callback
        if not isinstance(server, CallbackServer) or not is_loopback(origin_of(ctx.origin)[1]):
            return None
        tok, (a, b) = token(), numbers(100, 999)
        return f"{tok}{a * b}", FETCH.format(url=f"{server.url(tok)}$(({a}*{b}))", d=f"{ctx.delay:g}")

    def _fetched(self, ex: Exchange, needle: str, point: InjectionPoint, when: str) -> Confirmation:
        return Confirmation(
            self.category, self.name,
            f"command injection (out of band): {point.label} reaches a shell that fetched auditor's "
            f"callback server on 127.0.0.1 {when}, with a one-time token and the product of two "
            "random numbers the shell computed", ex, needle, point, severity="critical")

    def settle(self, ctx: ProbeContext, sender: Sender | None = None) -> list[Confirmation]:
        return [self._fetched(ex, needle, point, "after the answer")
                for needle, ex, point in heard_late(ctx.callback, self.pending, self.SETTLE)]


def runs_commands(ctx: ProbeContext, point: InjectionPoint) -> bool:
    """The route's source file names a way to run commands (child_process, os.system, subprocess...)."""
    if ctx.project is None or not point.route.file:
        return False
    return any(FILE_RUNS_COMMANDS.search(line) for line in source_lines(ctx.project / point.route.file))
