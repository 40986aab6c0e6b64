"""Ruby line patterns with no dataflow: weak digests and ciphers, short RSA keys,
predictable random values in tokens, cookies written without flags, request params stored
in the session, validation regexes anchored per line (`^`/`$`) instead of per string
(`\\A`/`\\z`), and TLS clients with peer verification off. Read from the text, comment
lines skipped."""

from __future__ import annotations

import re
from collections.abc import Iterable

from auditor.findings import Severity
from auditor.scan.interface import Check, Hit, SourceFile

_WEAK_DIGEST = re.compile(r"\bDigest::(?:MD5|SHA1)\b|OpenSSL::Digest::(?:MD5|SHA1)\b|OpenSSL::Digest\.new\(\s*['\"](?:md5|sha1)['\"]", re.I)
_WEAK_CIPHER = re.compile(r"OpenSSL::Cipher(?:::\w+)?\.new\(\s*['\"]((?:des|rc4|rc2|bf|blowfish|cast|idea|seed)[\w-]*|[\w-]+-ecb)['\"]", re.I)
_OLD_TLS = re.compile(r"\b(?:ssl_version|min_version)\s*(?:=|:|=>)\s*(?:OpenSSL::SSL::)?:?['\"]?(SSLv2|SSLv3|TLSv1(?:_1)?|TLS1(?:_1)?_VERSION)\b['\"]?(?!\.|_2)")
# `==` between request input and a secret (a token, key, signature): the comparison stops at
# the first differing byte, and the time it takes tells an attacker how much was right.
_SECRET_WORD = r"(?:token|secret|api_?key|signature|hmac|digest|password_digest|otp|nonce)"
_REQUEST_VALUE = r"(?:params|cookies|request\.headers|request\.env|headers)\[[^\]]+\]"
_OPERAND = r"[\w.:@\[\]'\"()]*"
_TIMING_COMPARE = re.compile(
    rf"(?:{_REQUEST_VALUE}\s*[!=]=\s*{_OPERAND}{_SECRET_WORD}{_OPERAND}|"
    rf"{_OPERAND}{_SECRET_WORD}{_OPERAND}\s*[!=]=\s*{_REQUEST_VALUE}|"
    rf"(?:params|cookies|request\.headers)\[\s*[:'\"]?[\w-]*{_SECRET_WORD}[\w-]*['\"]?\s*\]\s*[!=]=\s*(?!nil\b|['\"]|\d)[@\w])",
    re.I)
_SHORT_RSA = re.compile(r"OpenSSL::PKey::(?:RSA|DSA)\.(?:new|generate)\(\s*(\d+)")
_RANDOM = re.compile(r"(?<![\w.])(?:rand\(|Random\.rand\b|Random\.new\b|\.shuffle\b|\.sample\b)")
_SECRETISH = re.compile(r"token|secret|passw|otp|nonce|salt|session|cookie|reset|verif|api_?key|invite|remember|\bpin\b|code\b", re.I)
_PASSWORDY = re.compile(r"pass(?:word|wd|phrase)?|pwd", re.I)
_PURPOSE = re.compile(r"token|secret|sign|verif|integrity|checksum|auth|session|cookie|nonce|otp|hmac|key\b", re.I)
_COOKIE_SET = re.compile(r"\bcookies(?:\.(?:permanent|signed|encrypted))*\[\s*:?['\"]?(\w+)['\"]?\s*\]\s*=(?!=)\s*(.*)$")
_AUTH_COOKIE = re.compile(r"sess|token|auth|jwt|remember|login|sid", re.I)
# `session[params[:key]] = v`, `session["pref-#{params[:k]}"] = v`: the request picks which
# session entry to write, so it can overwrite the ones the app trusts (user_id, role).
_SESSION_KEY_FROM_PARAMS = re.compile(r"\bsession\[(?=[^=]*\bparams\b)(?:[^\[\]]|\[[^\]]*\])*\]\s*=(?!=)")
_SESSION_FROM_PARAMS = re.compile(r"\bsession\[[^\]]+\]\s*=(?!=)\s*(.*\bparams\b.*)$")
_DEF = re.compile(r"^\s*def\s+(?:self\.)?(\w+[?!]?)")
# `format: { with: /re/ }`, `with: /re/`, and Ruby 1.8 hash rockets (`:with => /re/`); the
# regex body may hold escaped slashes (`https?:\/\/`).
# `format: /re/` and `:format => /re/` (the validates shorthand) too; a constant the file
# sets to a regex literal (`with: EMAIL_REGEX`) is read through.
_FORMAT_REGEX = re.compile(r"(?:\bformat:\s*\{\s*with:|\bwith:|:with\s*=>|\bformat:|:format\s*=>)\s*"
                           r"(?:/(?P<body>(?:\\.|[^/\\\n])*)/[imx]*|(?P<const>[A-Z][A-Z0-9_]*)\b)")
_REGEX_CONST = re.compile(r"^\s*([A-Z][A-Z0-9_]*)\s*=\s*/((?:\\.|[^/\\\n])*)/[imx]*\s*$", re.M)
# TLS peer verification turned off on an HTTP client or SSL context.
_VERIFY_NONE = re.compile(r"\bverify_mode\s*(?:=|:|=>)\s*OpenSSL::SSL::VERIFY_NONE\b|\bssl_verify(?:_mode)?\s*(?::|=>|=)\s*(?:false|OpenSSL::SSL::VERIFY_NONE)\b|"
                          r"\bverify(?:_ssl)?:\s*false\b|:verify\s*=>\s*false\b|\bssl:\s*\{[^}]*\bverify:\s*false")


# A bare `verify: false` counts only on an HTTP client call (not JWT.decode options).
_HTTP_CALL = re.compile(r"HTTParty|Faraday|RestClient|Excon|HTTPClient|Typhoeus|\.(?:get|post|put|patch|delete|head|request)\b")


def _code_lines(text: str) -> Iterable[tuple[int, str]]:
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.lstrip().startswith("#"):
            yield n, line


def _this_and_previous(lines: list[str], n: int) -> str:
    """Line n (1-based) and the one before it: `validates :email,` then `format: { with: /re/ }`."""
    return "\n".join(lines[max(0, n - 2):n])


class RubyCryptoCookieCheck(Check):
    languages = frozenset({"ruby"})
    detectors = ("rb.pattern.weak-hash", "rb.pattern.weak-cipher", "rb.pattern.insecure-random",
                 "rb.pattern.cookie-flags", "rb.pattern.session-params", "rb.pattern.regex-anchor",
                 "rb.pattern.tls-verify-off", "rb.pattern.timing-compare")

    def run(self, src: SourceFile) -> Iterable[Hit]:
        hits: list[Hit] = []

        def hit(det: str, n: int, line: str, col: int, message: str, severity: Severity | None = None) -> None:
            hits.append(Hit(det, n, col + 1, n, message, severity=severity, framework=src.framework))

        all_lines = src.text.splitlines()
        regex_consts = {m.group(1): m.group(2) for m in _REGEX_CONST.finditer(src.text)} if "validat" in src.text else {}
        method = ""  # the def the line sits in: `def reset_token` names what rand() makes
        for n, line in _code_lines(src.text):
            if d := _DEF.match(line):
                method = d.group(1)
            if (m := _WEAK_DIGEST.search(line)) and not _PASSWORDY.search(line):
                hit("rb.pattern.weak-hash", n, line, m.start(), "MD5/SHA-1 are broken for integrity and signatures: use OpenSSL::Digest::SHA256 (HMAC for tokens)",
                    None if _PURPOSE.search(line) else Severity.LOW)
            if m := _WEAK_CIPHER.search(line):
                hit("rb.pattern.weak-cipher", n, line, m.start(), f"cipher {m.group(1)} is broken or leaks patterns (ECB): use aes-256-gcm")
            if (m := _TIMING_COMPARE.search(line)) and "secure_compare" not in line:
                hit("rb.pattern.timing-compare", n, line, m.start(),
                    "Secret compared with == against request input: use ActiveSupport::SecurityUtils.secure_compare")
            if m := _OLD_TLS.search(line):
                hit("rb.pattern.weak-cipher", n, line, m.start(), f"{m.group(1)} is broken: require TLS 1.2 or later")
            if (m := _SHORT_RSA.search(line)) and int(m.group(1)) < 2048:
                hit("rb.pattern.weak-cipher", n, line, m.start(), f"{m.group(1)}-bit keys can be factored: use 2048 bits or more")
            if (m := _RANDOM.search(line)) and "SecureRandom" not in line and _SECRETISH.search(f"{line} {method}"):
                hit("rb.pattern.insecure-random", n, line, m.start(), "rand/Random are predictable: use SecureRandom.urlsafe_base64 or SecureRandom.hex for tokens")
            if m := _COOKIE_SET.search(line):
                self._cookie(m, n, line, hit)
            if m := _SESSION_KEY_FROM_PARAMS.search(line):
                hit("rb.pattern.session-params", n, line, m.start(),
                    "the request chooses which session key is written: it can overwrite user_id or role; use fixed keys")
            elif m := _SESSION_FROM_PARAMS.search(line):
                value = m.group(1)
                if not re.search(r"\b(?:to_i|to_f|Integer\(|Float\()", value):
                    hit("rb.pattern.session-params", n, line, m.start(), "request params stored in the session as if trusted: validate them first")
            if (m := _VERIFY_NONE.search(line)) and "VERIFY_PEER" not in line and (
                    "verify_mode" in m.group(0) or "ssl" in m.group(0) or _HTTP_CALL.search(line)):
                hit("rb.pattern.tls-verify-off", n, line, m.start(),
                    "TLS certificate checks are off: anyone on the path can read and change the traffic; keep VERIFY_PEER")
            if m := _FORMAT_REGEX.search(line):
                body = m.group("body") if m.group("body") is not None else regex_consts.get(m.group("const"))
                if body is None:
                    pass
                elif body.startswith("^") or body.endswith("$"):
                    hit("rb.pattern.regex-anchor", n, line, m.start(), "^ and $ match at line breaks in Ruby: anchor validations with \\A and \\z")
                elif not body.startswith("\\A") and not body.endswith(("\\z", "\\Z")) and "validat" in _this_and_previous(all_lines, n):
                    hit("rb.pattern.regex-anchor", n, line, m.start(),
                        "Validation regex without anchors accepts any value that merely contains a match: wrap it in \\A...\\z",
                        Severity.LOW)
        return hits

    @staticmethod
    def _cookie(m: re.Match[str], n: int, line: str, hit) -> None:  # noqa: ANN001 - local closure
        name, value = m.group(1), m.group(2)
        if value.lstrip().startswith("{"):
            missing = [k for k in ("httponly", "secure") if not re.search(rf"\b{k}:\s*(?!false|nil)\S", value)]
        elif value.strip():
            missing = ["httponly", "secure"]
        else:
            return  # a hash continued on the next lines: not judged
        if not missing:
            return
        sev = None if _AUTH_COOKIE.search(name) else Severity.LOW
        hit("rb.pattern.cookie-flags", n, line, m.start(), f"cookie :{name} set without {' and '.join(missing)}: set httponly: true, secure: true, same_site: :lax", sev)


CHECKS = [RubyCryptoCookieCheck()]
