from typing import Annotated

import httpx
from fastapi import APIRouter, Depends
from pydantic import BaseModel, HttpUrl

from app.auth import User, get_current_user

router = APIRouter(prefix="/integrations/webhooks", tags=["webhooks"])


class WebhookTest(BaseModel):
    url: HttpUrl
    secret_header: str | None = None


class WebhookTestResult(BaseModel):
    status_code: int
    body_preview: str


@router.post("/test", response_model=WebhookTestResult)
async def send_test_event(body: WebhookTest, user: Annotated[User, Depends(get_current_user)]):
    headers = {"X-Acme-Event": "ping"}
    if body.secret_header:
        headers["X-Acme-Signature"] = body.secret_header
    async with httpx.AsyncClient(timeout=10, follow_redirects=True) as client:
        response = await client.post(str(body.url), json={"event": "ping", "account": user.account_id}, headers=headers)
    return WebhookTestResult(status_code=response.status_code, body_preview=response.text[:500])
