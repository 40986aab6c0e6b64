from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import get_session

router = APIRouter(prefix="/api/employees", tags=["employees"])


class EmployeeOut(BaseModel):
    id: int
    full_name: str
    department: str
    hired_on: str


@router.get("", response_model=list[EmployeeOut])
async def list_employees(
    session: Annotated[AsyncSession, Depends(get_session)],
    department: str | None = None,
    sort: str = Query("full_name"),
    direction: str = Query("asc"),
    limit: int = Query(50, le=200),
):
    base = "SELECT id, full_name, department, CAST(hired_on AS TEXT) AS hired_on FROM employees"
    where = " WHERE department = :department" if department else ""
    order = f" ORDER BY {sort} {direction}"
    result = await session.execute(
        text(base + where + order + " LIMIT :limit"),
        {"department": department, "limit": limit},
    )
    return [EmployeeOut(**row) for row in result.mappings()]
