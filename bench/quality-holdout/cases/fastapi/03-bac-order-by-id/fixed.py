from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import get_current_user
from app.db import get_session
from app.models import Order, User

router = APIRouter(prefix="/orders", tags=["orders"])
SessionDep = Annotated[AsyncSession, Depends(get_session)]
CurrentUser = Annotated[User, Depends(get_current_user)]


class OrderOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    status: str
    total_cents: int
    shipping_address: str


async def load_order(session: AsyncSession, order_id: int, user: User) -> Order:
    order = await session.scalar(select(Order).where(Order.id == order_id, Order.user_id == user.id))
    if order is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "order not found")
    return order


@router.get("/{order_id}", response_model=OrderOut)
async def get_order(order_id: int, session: SessionDep, user: CurrentUser):
    return await load_order(session, order_id, user)


@router.post("/{order_id}/cancel", response_model=OrderOut)
async def cancel_order(order_id: int, session: SessionDep, user: CurrentUser):
    order = await load_order(session, order_id, user)
    if order.status not in {"pending", "paid"}:
        raise HTTPException(status.HTTP_409_CONFLICT, "order can no longer be cancelled")
    order.status = "cancelled"
    await session.commit()
    return order
