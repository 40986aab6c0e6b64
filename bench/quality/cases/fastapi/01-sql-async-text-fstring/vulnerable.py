from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import get_session

router = APIRouter(prefix="/customers", tags=["customers"])


class CustomerOut(BaseModel):
    id: int
    name: str
    country: str


@router.get("/", response_model=list[CustomerOut])
async def search_customers(
    session: Annotated[AsyncSession, Depends(get_session)],
    country: str = Query(..., max_length=64),
    order_by: str = "name",
):
    sql = f"SELECT id, name, country FROM customers WHERE country = '{country}' ORDER BY {order_by}"
    result = await session.execute(text(sql))
    return [CustomerOut(**row) for row in result.mappings()]
