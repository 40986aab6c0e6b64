from urllib.parse import urlsplit

import httpx
from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, HttpUrl

from app.auth import get_current_user
from app.storage import save_avatar

router = APIRouter()
ALLOWED_IMAGE_HOSTS = {"images.unsplash.com", "avatars.githubusercontent.com", "www.gravatar.com"}


class AvatarImport(BaseModel):
    image_url: HttpUrl


@router.post("/me/avatar/import")
async def import_avatar(body: AvatarImport, user=Depends(get_current_user)):
    url = str(body.image_url)
    parts = urlsplit(url)
    if parts.scheme != "https" or parts.hostname not in ALLOWED_IMAGE_HOSTS:
        raise HTTPException(400, "Image host not allowed")
    async with httpx.AsyncClient(timeout=10, follow_redirects=False) as client:
        resp = await client.get(url)
    if resp.status_code != 200 or not resp.headers.get("content-type", "").startswith("image/"):
        raise HTTPException(400, "URL did not return an image")
    key = await save_avatar(user.id, resp.content)
    return {"avatar": key}
