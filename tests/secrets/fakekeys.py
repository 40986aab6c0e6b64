"""Realistic fake secrets, built to each provider's published format (prefixes, lengths,
alphabets, GitHub/npm CRC32 checksums). Used by the tests and by bench/secrets_bench.py.
None of these are real credentials: they are random bytes in the right shape."""

from __future__ import annotations

import base64
import random
import string
import zlib

B62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
B64 = string.ascii_letters + string.digits + "+/"
B64URL = string.ascii_letters + string.digits + "-_"
HEX = "0123456789abcdef"


class FakeKeys:
    """A seeded generator so a test or a benchmark run is reproducible."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)

    def chars(self, alphabet: str, n: int) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def _checksummed(self, prefix: str) -> str:
        body = self.chars(B62, 30)
        crc = zlib.crc32(body.encode())
        digits = ""
        while crc:
            crc, rem = divmod(crc, 62)
            digits = B62[rem] + digits
        return prefix + body + digits.rjust(6, "0")

    # -- providers ------------------------------------------------------------------------
    def aws_key_id(self) -> str:
        return "AKIA" + self.chars(string.ascii_uppercase + "234567", 16)

    def aws_secret(self) -> str:
        while True:
            s = self.chars(B64, 40)
            if any(c.isupper() for c in s) and any(c.islower() for c in s) and any(c.isdigit() for c in s):
                return s

    def github_classic(self) -> str:
        return self._checksummed("ghp_")

    def github_oauth(self) -> str:
        return self._checksummed("gho_")

    def github_app(self) -> str:
        return self._checksummed(self.rng.choice(["ghu_", "ghs_"]))

    def github_fine_grained(self) -> str:
        return "github_pat_11" + self.chars(string.ascii_uppercase + string.digits, 20) + "_" + self.chars(B62, 59)

    def gitlab_pat(self) -> str:
        return "glpat-" + self.chars(B62 + "-_", 20)

    def slack_bot(self) -> str:
        return f"xoxb-{self.chars(string.digits, 12)}-{self.chars(string.digits, 13)}-{self.chars(B62, 24)}"

    def slack_user(self) -> str:
        d = string.digits
        return f"xoxp-{self.chars(d, 12)}-{self.chars(d, 12)}-{self.chars(d, 13)}-{self.chars(HEX, 32)}"

    def slack_webhook(self) -> str:
        up = string.ascii_uppercase + string.digits
        return f"https://hooks.slack.com/services/T{self.chars(up, 10)}/B{self.chars(up, 10)}/{self.chars(B62, 24)}"

    def stripe_live(self) -> str:
        return "sk_live_51" + self.chars(B62, 97)

    def stripe_restricted(self) -> str:
        return "rk_live_51" + self.chars(B62, 97)

    def openai_project(self) -> str:
        return "sk-proj-" + self.chars(B64URL, 74) + "T3BlbkFJ" + self.chars(B64URL, 74)

    def openai_legacy(self) -> str:
        return "sk-" + self.chars(B62, 20) + "T3BlbkFJ" + self.chars(B62, 20)

    def anthropic(self) -> str:
        return "sk-ant-api03-" + self.chars(B64URL, 93) + "AA"

    def google_api_key(self) -> str:
        return "AIza" + self.chars(B64URL, 35)

    def azure_storage_key(self) -> str:
        return self.chars(B64, 86) + "=="

    def azure_connection_string(self) -> str:
        return (f"DefaultEndpointsProtocol=https;AccountName=acme{self.chars(string.ascii_lowercase, 6)};"
                f"AccountKey={self.azure_storage_key()};EndpointSuffix=core.windows.net")

    def azure_client_secret(self) -> str:
        return self.chars(B62, 3) + self.chars(string.digits, 1) + "Q~" + self.chars(B62 + "~.-_", 34)

    def twilio_api_key(self) -> str:
        return "SK" + self.chars(HEX, 32)

    def twilio_auth_token(self) -> str:
        return self.chars(HEX, 32)

    def sendgrid(self) -> str:
        return "SG." + self.chars(B64URL, 22) + "." + self.chars(B64URL, 43)

    def mailgun(self) -> str:
        return "key-" + self.chars(HEX, 32)

    def npm(self) -> str:
        return self._checksummed("npm_")

    def pypi(self) -> str:
        return "pypi-AgEIcHlwaS5vcmc" + self.chars(B64URL, 160)

    def discord_bot(self) -> str:
        user_id = str(self.rng.randrange(10**17, 10**18 * 2))
        first = base64.b64encode(user_id.encode()).decode().rstrip("=")
        return f"{first}.{self.chars(B64URL, 6)}.{self.chars(B64URL, 38)}"

    def telegram_bot(self) -> str:
        return f"{self.rng.randrange(10**8, 10**10)}:AA{self.chars(B64URL, 33)}"

    def jwt_secret(self) -> str:
        return self.chars(B62, 32)

    def password(self) -> str:
        return self.chars(string.ascii_letters, 6) + self.chars(string.digits, 3) + self.chars("!#%^*", 1) + self.chars(B62, 4)

    def postgres_url(self) -> str:
        return f"postgresql://app_user:{self.password()}@db-prod.internal.acme.io:5432/orders"

    def rsa_private_key(self, kind: str = "RSA ") -> str:
        body = self.chars(B64, 64 * 20)
        lines = [body[i:i + 64] for i in range(0, len(body), 64)]
        return f"-----BEGIN {kind}PRIVATE KEY-----\n" + "\n".join(lines) + f"\n-----END {kind}PRIVATE KEY-----"
