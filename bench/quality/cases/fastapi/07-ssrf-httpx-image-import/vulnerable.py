import httpx
from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel

from app.auth import get_current_user
from app.storage import save_avatar

router = APIRouter()


class AvatarImport(BaseModel):
    image_url: str


@router.post("/me/avatar/import")
async def import_avatar(body: AvatarImport, user=Depends(get_current_user)):
    async with httpx.AsyncClient(timeout=10, follow_redirects=True) as client:
        resp = await client.get(body.image_url)
    if resp.status_code != 200 or not resp.headers.get("content-type", "").startswith("image/"):
        raise HTTPException(400, "URL did not return an image")
    key = await save_avatar(user.id, resp.content)
    return {"avatar": key}
