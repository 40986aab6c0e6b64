from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends
from pydantic import BaseModel, ConfigDict
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import get_current_user
from app.db import get_session
from app.models import User

router = APIRouter(prefix="/users", tags=["users"])


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    display_name: str
    role: str


@router.patch("/me", response_model=UserOut)
async def update_me(
    changes: Annotated[dict[str, Any], Body()],
    user: Annotated[User, Depends(get_current_user)],
    session: Annotated[AsyncSession, Depends(get_session)],
):
    for key, value in changes.items():
        if hasattr(user, key) and key != "id":
            setattr(user, key, value)
    await session.commit()
    await session.refresh(user)
    return user
