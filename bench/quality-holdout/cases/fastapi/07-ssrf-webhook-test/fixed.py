import asyncio
import ipaddress
import socket
from typing import Annotated

import httpx
from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, HttpUrl

from app.auth import User, get_current_user

router = APIRouter(prefix="/integrations/webhooks", tags=["webhooks"])


class WebhookTest(BaseModel):
    url: HttpUrl
    secret_header: str | None = None


class WebhookTestResult(BaseModel):
    status_code: int


async def assert_public_destination(url: HttpUrl) -> None:
    if url.scheme != "https" or not url.host:
        raise HTTPException(status_code=422, detail="webhook URL must be https")
    infos = await asyncio.get_running_loop().getaddrinfo(url.host, url.port or 443, type=socket.SOCK_STREAM)
    for *_, sockaddr in infos:
        if not ipaddress.ip_address(sockaddr[0]).is_global:
            raise HTTPException(status_code=422, detail="webhook URL must be a public address")


@router.post("/test", response_model=WebhookTestResult)
async def send_test_event(body: WebhookTest, user: Annotated[User, Depends(get_current_user)]):
    await assert_public_destination(body.url)
    headers = {"X-Acme-Event": "ping"}
    if body.secret_header:
        headers["X-Acme-Signature"] = body.secret_header
    async with httpx.AsyncClient(timeout=10, follow_redirects=False) as client:
        response = await client.post(str(body.url), json={"event": "ping", "account": user.account_id}, headers=headers)
    return WebhookTestResult(status_code=response.status_code)
