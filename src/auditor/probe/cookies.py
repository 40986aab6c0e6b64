"""A payload as a cookie value, spelled so that the server's own cookie parser hands the app the
payload, not nothing.

Cookie parsers differ on what a value may hold (measured by `bench/probe_cookies.py`):
- Werkzeug 3 (Flask) skips a whole cookie whose bare value holds a space, a tab or a `"`; a
  quoted value (`"..."`, with `\\"`, `\\\\` and `\\ooo` escapes) it unquotes. Django and Starlette
  split on `;` and unquote the same quoted form (the standard library's rules); a bare value
  keeps its spaces there. That quoted form is what their own `set_cookie` writes.
- Express's `cookie` package (cookie-parser) trims the value, drops a leading `"` with the last
  character, and `decodeURIComponent`s a value that holds `%`.
- Rack (Rails, Sinatra) decodes every value as a form component (`+` is a space, `%XX` a byte).
- Java servlet containers (Tomcat's RFC 6265 processor) drop a value with any character outside
  RFC 6265's cookie-octet; PHP url-decodes cookie values. What those apps write in a cookie they
  percent-encode, and decode when they read it.

So a value goes: bare when it is all cookie-octets (as before); otherwise, on a Python server,
in the quoted form; on a JavaScript server, as before with a leading `"` percent-encoded; on a
server in another known language, with every byte outside cookie-octet (and `+`, `%`)
percent-encoded; on an unknown server as before (bare but for what ends the cookie: raw
readers get it, which a percent-encoded value would not reach).
`%`, `;` and line ends are percent-encoded in every form (they would end the cookie or the
header), which a decoding app reads back and a raw-reading one sees as `%XX`."""

from __future__ import annotations

from urllib.parse import quote

# RFC 6265 section 4.1.1: %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E
COOKIE_OCTETS = frozenset(chr(c) for c in (0x21, *range(0x23, 0x2C), *range(0x2D, 0x3B), *range(0x3C, 0x5C),
                                           *range(0x5D, 0x7F)))


def plain(value: str) -> str:
    """The value with only what would end the cookie or the header percent-encoded."""
    return value.replace("%", "%25").replace(";", "%3B").replace("\r", "%0D").replace("\n", "%0A")


def quoted(value: str) -> str:
    """The quoted-string form of Python's cookie parsers: `"` and `\\` escaped by a backslash,
    bytes outside printable ASCII as three octal digits."""
    out = []
    for byte in value.encode():
        c = chr(byte)
        out.append("\\" + c if c in '"\\' else c if 0x20 <= byte < 0x7F else f"\\{byte:03o}")
    return '"' + "".join(out) + '"'


def percent(value: str) -> str:
    """Every byte outside cookie-octet, and `%` and `+` (which form decoders read as a space),
    percent-encoded: what survives every parser above, and what decoding apps read back."""
    return quote(value, safe="".join(sorted(COOKIE_OCTETS - {"%", "+"})))


def cookie_value(value: str, language: str) -> str:
    """`value` as the Cookie header carries it to a server written in `language` ("" = unknown)."""
    bare = plain(value)
    if all(c in COOKIE_OCTETS for c in bare):
        return bare
    if language == "python":
        return quoted(bare)
    if language in ("javascript", "typescript"):
        return "%22" + bare[1:] if bare.startswith('"') else bare
    return percent(value) if language else bare


def cookie_spellings(value: str) -> set[str]:
    """Every form `cookie_value` may give `value`: an app that echoes the raw header shows one."""
    bare = plain(value)
    # the quoted form without its own quotes: the backslash escapes are JSON's too, and its
    # quotes would take a JSON string's with them
    return {bare, quoted(bare)[1:-1], percent(value)}


def cookies_set(set_cookie_values: list[str]) -> dict[str, str]:
    """name -> value of the cookies a response sets (its Set-Cookie header values)."""
    pairs = (v.split(";", 1)[0].strip().partition("=") for v in set_cookie_values)
    return {name.strip(): value.strip() for name, eq, value in pairs if eq and name.strip()}


def cookie_pairs(header: str) -> dict[str, str]:
    """The cookies of a `Cookie:` request header, by name (parts without `=` skipped)."""
    return {name.strip(): value.strip() for name, sep, value in (p.partition("=") for p in header.split(";")) if sep}


def with_cookie(header: str, name: str, value: str) -> str:
    """A `Cookie:` request header with the cookie `name` set to `value` (in its place, or last),
    the others as they were (empty ones left out)."""
    pairs = {**{k: v for k, v in cookie_pairs(header).items() if k and v}, name: value}
    return "; ".join(f"{k}={v}" for k, v in pairs.items())
