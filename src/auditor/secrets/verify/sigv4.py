"""AWS Signature Version 4, with hashlib and hmac only (no SDK dependency).

Enough of the algorithm for the one request auditor signs (STS GetCallerIdentity), kept
general over method, path, query and headers so it can be checked against AWS's
published test vectors."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from urllib.parse import quote

ALGORITHM = "AWS4-HMAC-SHA256"


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    k_date = _hmac(("AWS4" + secret).encode("utf-8"), date)
    return _hmac(_hmac(_hmac(k_date, region), service), "aws4_request")


def canonical_query(query: Mapping[str, str]) -> str:
    return "&".join(f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in sorted(query.items()))


def authorization_header(*, access_key: str, secret: str, method: str, path: str, query: Mapping[str, str],
                         headers: Mapping[str, str], body: bytes, amz_date: str, region: str, service: str) -> str:
    """The `Authorization` header value. `headers` must include `host` and `x-amz-date`;
    every header given is signed. `amz_date` is `YYYYMMDDTHHMMSSZ` (UTC)."""
    lowered = {k.lower(): " ".join(v.strip().split()) for k, v in headers.items()}
    names = sorted(lowered)
    canonical_headers = "".join(f"{n}:{lowered[n]}\n" for n in names)
    signed_headers = ";".join(names)
    canonical_request = "\n".join([
        method.upper(), quote(path or "/", safe="/-_.~"), canonical_query(query), canonical_headers,
        signed_headers, hashlib.sha256(body).hexdigest(),
    ])
    scope = f"{amz_date[:8]}/{region}/{service}/aws4_request"
    string_to_sign = "\n".join([ALGORITHM, amz_date, scope, hashlib.sha256(canonical_request.encode()).hexdigest()])
    signature = hmac.new(signing_key(secret, amz_date[:8], region, service), string_to_sign.encode(),
                         hashlib.sha256).hexdigest()
    return f"{ALGORITHM} Credential={access_key}/{scope}, SignedHeaders={signed_headers}, Signature={signature}"
