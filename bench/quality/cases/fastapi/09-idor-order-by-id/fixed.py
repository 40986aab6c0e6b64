from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import get_current_user
from app.db import get_session
from app.models import Order, User
from app.schemas import OrderOut

router = APIRouter(prefix="/orders", tags=["orders"])
SessionDep = Annotated[AsyncSession, Depends(get_session)]
UserDep = Annotated[User, Depends(get_current_user)]


async def get_owned_order(session: AsyncSession, order_id: int, user: User) -> Order:
    order = await session.get(Order, order_id)
    if order is None or order.user_id != user.id:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Order not found")
    return order


@router.get("/{order_id}", response_model=OrderOut)
async def get_order(order_id: int, session: SessionDep, user: UserDep):
    return await get_owned_order(session, order_id, user)


@router.post("/{order_id}/cancel", response_model=OrderOut)
async def cancel_order(order_id: int, session: SessionDep, user: UserDep):
    order = await get_owned_order(session, order_id, user)
    order.status = "cancelled"
    await session.commit()
    return order
