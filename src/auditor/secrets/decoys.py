"""Values that look like secrets but are not: documentation keys, placeholders, template
variables, environment references, UUIDs. Reporting these is the noise this tool avoids.

Checks run on the candidate secret value only (the surrounding code is the detectors' job)
and are cheap: a few substring tests and one compiled regex per call."""

from __future__ import annotations

import re

# Keys published in providers' documentation (AWS's own examples, jwt.io's sample token).
KNOWN_EXAMPLES: frozenset[str] = frozenset(
    {
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
        "AKIAI44QH8DHBEXAMPLE",
        "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
        "your-256-bit-secret",
    }
)

# Substrings that mark a value as a stand-in. Case-insensitive; each is long or odd enough
# not to occur by chance inside a random key.
_MARKERS = (
    "example", "sample", "placeholder", "your", "xxxx", "****", "....", "<", ">", "${", "{{", "}}",
    "%(", "$(", "redacted", "changeme", "change_me", "change-me", "changeit", "replace", "insert",
    "dummy", "fake", "todo", "fixme", "mock", "notreal", "not-a-real", "not_a_real", "foobar",
    "lorem", "_here", "-here", "here_", "here-", "secret_key_base", "0000000000", "1234567890", "abcdefgh", "qwerty",
    "put_", "enter_", "enter-", "sk_xxx", "process.env", "os.environ", "getenv", "env(", "env[",
)

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
# API_KEY, $API_KEY: a variable's name (an underscore or a `$` tells it from an AKIA... id)
_ENV_NAME = re.compile(r"^(?:\$[A-Z_][A-Z0-9_]*|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)$")
_TEMPLATE = re.compile(r"^(?:\$\w|%\w|:\w|@\w|\{\w|#\{)")  # $VAR, %VAR%, :param, @var, {name}, #{x}
_REPEATS = re.compile(r"(.)\1{5,}")  # aaaaaa, 000000

# Passwords that are defaults, not secrets: a hit on these is a local-dev decoy.
DUMMY_PASSWORDS: frozenset[str] = frozenset(
    {
        "password", "passwd", "pass", "pwd", "secret", "admin", "root", "postgres", "mysql",
        "user", "username", "guest", "test", "testing", "tester", "demo", "default", "letmein",
        "changeme", "mongo", "redis", "rabbitmq", "toor", "master", "sa", "dev", "development",
        "local", "localhost", "qwerty", "abc123", "123456", "12345678", "password1", "pa55word",
        "p@ssw0rd", "p@ssword", "passw0rd", "hunter2", "s3cr3t", "secret123", "mypassword",
        "mysecretpassword", "supersecret", "docker", "app", "example", "none", "null", "empty",
    }
)


def is_placeholder(value: str) -> bool:
    """True for documentation keys, template/environment references and obvious stand-ins."""
    if value in KNOWN_EXAMPLES:
        return True
    low = value.lower()
    if any(m in low for m in _MARKERS):
        return True
    if _UUID.match(value) or _ENV_NAME.match(value) or _TEMPLATE.match(value):
        return True
    if _REPEATS.search(value):
        return True
    return len(set(low)) <= 3


def is_dummy_password(value: str) -> bool:
    """A default or textbook password (`postgres`, `password123`, `admin!`): a decoy, not a
    leak. Trailing digits and punctuation are ignored so `password123` counts too."""
    core = value.lower().rstrip("0123456789!@#$%^&*.?_-")
    return value.lower() in DUMMY_PASSWORDS or core in DUMMY_PASSWORDS or core == ""
