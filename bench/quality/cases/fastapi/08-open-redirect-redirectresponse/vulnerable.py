from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from app.auth import complete_login

router = APIRouter()


@router.get("/auth/callback")
async def auth_callback(request: Request, code: str, redirect_uri: str = "/"):
    session_token = await complete_login(code)
    response = RedirectResponse(url=redirect_uri, status_code=302)
    response.set_cookie("session", session_token, httponly=True, secure=True, samesite="lax")
    return response
