"""Guessable JWT signing keys, found offline: an HMAC-signed token (HS256/384/512) the app
issued is checked locally against a short list of keys people leave in place ("secret",
"changeme", the jwt.io sample) and against the string literals the project's own code assigns
to names like SECRET_KEY or JWT_SECRET, hands inline to the call that signs or checks a token, or
falls back to where the environment leaves the key unset (`process.env.JWT_SECRET || '...'`, a
compose file's `- JWT_SECRET=...`). No request is sent while guessing and no key leaves
this process: only a token signed with the key that matched goes to the app itself, which
holds that key already."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from pathlib import Path

HMACS = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}

# Keys seen left at their sample or placeholder value (documentation samples, tutorials, defaults).
COMMON_KEYS = ("secret", "secretkey", "secret_key", "secret-key", "mysecret", "my_secret", "my-secret",
               "supersecret", "super-secret", "super_secret", "topsecret", "changeme", "change-me", "changeit",
               "password", "passw0rd", "key", "jwt", "jwtsecret", "jwt_secret", "jwt-secret", "jwtkey", "token",
               "default", "test", "testing", "dev", "development", "random", "admin", "123456", "qwerty", "s3cr3t",
               "keyboard cat", "shhhhh", "your-256-bit-secret", "your_jwt_secret", "your-secret-key", "")

# NAME = "literal", "NAME": "literal", config['NAME'] = 'literal' where the name speaks of a key.
_ASSIGNED = re.compile(r"""(?i)[\w\]'"]*(?:secret|key|jwt|signing|token)[\w'"\]]*\s*(?:=|:|=>)\s*['"]([^'"\n]{3,200})['"]""")
# A key given inline where a token is signed or checked: `jwt.sign(payload, 'k')`,
# `jwt.verify(token, "k")`, `jwt.encode(claims, "k", ...)`, `JwtModule.register({ secret: 'k' })`.
_INLINE = re.compile(r"""\b(?:sign|verify|encode|decode)\(\s*(?:\{[^{}]*\}|[\w.]+)\s*,\s*['"`]([^'"`\n]{3,200})['"`]""")
_ENV_LINE = re.compile(r"""(?im)^\s*(?:export\s+)?\w*(?:SECRET|KEY|JWT)\w*\s*=\s*['"]?([^'"\s#]{3,200})""")
# The fallback an environment read falls back to where the variable is unset:
# `process.env.JWT_SECRET || 'k'`, `?? 'k'`, `os.getenv("JWT_SECRET", "k")`,
# `os.environ.get(...)`, `ENV.fetch("K", "k")`, Spring's `${jwt.secret:k}`.
_DEFAULTED = re.compile(
    r"""(?:process\.env(?:\.\w+|\[['"`]\w+['"`]\])|ENV\[['"]\w+['"]\])\s*(?:\|\||\?\?)\s*['"`]([^'"`\n]{3,200})['"`]|"""
    r"""\b(?:getenv|environ\.get|ENV\.fetch|env)\(\s*['"]\w*(?:SECRET|KEY|JWT|TOKEN)\w*['"]\s*,\s*['"]([^'"\n]{3,200})['"]|"""
    r"""\$\{[\w.-]*(?:secret|key|jwt)[\w.-]*:([^}\n]{3,200})\}""", re.I)
# A compose file's or manifest's environment, as a list (`- JWT_SECRET=k`) or a map (`JWT_SECRET: k`).
_YAML_ENV = re.compile(r"""(?im)^\s*(?:-\s*)?['"]?\w*(?:SECRET|KEY|JWT)\w*\s*[=:]\s*['"]?([^'"\s#]{3,200})""")
_SOURCE = (".py", ".js", ".mjs", ".cjs", ".ts", ".rb", ".java", ".kt", ".php", ".go", ".cs", ".yml", ".yaml",
           ".json", ".properties", ".toml", ".ini", ".cfg", ".conf")
MAX_FILES = 3000
MAX_BYTES = 200_000


def keys_in_code(root: Path) -> list[tuple[str, str]]:
    """(literal, file) for each string the project's code or config assigns to a key-like name."""
    from auditor.fsutil import walk_files

    found: dict[str, str] = {}
    if not root.is_dir():
        return []
    for n, rel in enumerate(walk_files(root)):
        name = rel.rsplit("/", 1)[-1]
        env = name.startswith(".env") or name.endswith(".env")
        if n >= MAX_FILES or not (env or rel.endswith(_SOURCE)) or rel.startswith(("node_modules/", "venv/", ".venv/")):
            continue
        try:
            path = root / rel
            if path.stat().st_size > MAX_BYTES:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        patterns = (_ENV_LINE,) if env else (_ASSIGNED, _YAML_ENV) if rel.endswith((".yml", ".yaml")) else \
            (_ASSIGNED, _INLINE, _DEFAULTED)
        for pattern in patterns:
            for m in pattern.finditer(text):
                found.setdefault(next(g for g in m.groups() if g is not None), rel)
    return list(found.items())


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _algorithm(tok: str) -> str:
    try:
        header = json.loads(unb64url(tok.split(".")[0]))
    except (ValueError, IndexError):
        return ""
    return str(header.get("alg", "")) if isinstance(header, dict) else ""


def _signature(signing_input: str, key: str, alg: str) -> bytes:
    return hmac.new(key.encode(), signing_input.encode(), HMACS[alg]).digest()


def signing_key(tok: str, candidates: list[tuple[str, str]]) -> tuple[str, str] | None:
    """(key, where it came from) of the first candidate that reproduces the token's signature."""
    alg = _algorithm(tok)
    if alg not in HMACS or tok.count(".") != 2:
        return None
    signing_input, _, sig = tok.rpartition(".")
    try:
        expected = unb64url(sig)
    except ValueError:
        return None
    for key, origin in candidates:
        if hmac.compare_digest(_signature(signing_input, key, alg), expected):
            return key, origin
    return None


def resigned(tok: str, payload: str, key: str) -> str:
    """The token with its payload part replaced by `payload` (base64url), signed with `key`."""
    header = tok.split(".")[0]
    alg = _algorithm(tok)
    return f"{header}.{payload}.{b64url(_signature(f'{header}.{payload}', key, alg))}"


def candidates(code_keys: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The keys to try: the project's own literals first, then the common ones."""
    seen = {key for key, _ in code_keys}
    return [*code_keys, *((k, "a common weak key") for k in COMMON_KEYS if k not in seen)]
