"""AWS: a SigV4-signed STS GetCallerIdentity. It needs the key id AND its secret (paired by
the detector), needs no IAM permission, and changes nothing."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx

from auditor.secrets.verify.interface import LIVE, REVOKED, UNKNOWN, Verifier
from auditor.secrets.verify.sigv4 import authorization_header

BODY = b"Action=GetCallerIdentity&Version=2011-06-15"
CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8"
_ERROR_CODE = re.compile(r"<Code>([^<]+)</Code>")
# The key id does not exist (deleted or never real) or was deactivated.
DEAD_KEY_CODES = frozenset({"InvalidClientTokenId", "InvalidAccessKeyId"})


class AwsVerifier(Verifier):
    id = "aws"
    env_var = "AUDITOR_AWS_API_URL"
    default_url = "https://sts.amazonaws.com"
    region = "us-east-1"  # the global STS endpoint signs with us-east-1

    def check(self, client: httpx.Client, base_url: str, secret: str, partner: str | None,
              now: datetime | None = None) -> str:
        """`secret` is the key id, `partner` its secret access key (None: cannot check)."""
        if not partner:
            return UNKNOWN
        url = urlsplit(base_url + "/")
        amz_date = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
        headers = {"content-type": CONTENT_TYPE, "host": url.netloc, "x-amz-date": amz_date}
        auth = authorization_header(access_key=secret, secret=partner, method="POST", path=url.path or "/",
                                    query={}, headers=headers, body=BODY, amz_date=amz_date,
                                    region=self.region, service="sts")
        response = client.post(base_url + "/", content=BODY, headers={**headers, "authorization": auth})
        if response.status_code == 200:
            return LIVE
        code = _ERROR_CODE.search(response.text or "")
        if response.status_code == 403 and code and code.group(1) in DEAD_KEY_CODES:
            return REVOKED
        # SignatureDoesNotMatch: the id exists but this is not its secret; throttling, 5xx:
        # we do not know.
        return UNKNOWN
