from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlalchemy import String, cast, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import get_session
from app.models import Employee

router = APIRouter(prefix="/api/employees", tags=["employees"])

SORTABLE = {
    "full_name": Employee.full_name,
    "department": Employee.department,
    "hired_on": Employee.hired_on,
}


class EmployeeOut(BaseModel):
    id: int
    full_name: str
    department: str
    hired_on: str


@router.get("", response_model=list[EmployeeOut])
async def list_employees(
    session: Annotated[AsyncSession, Depends(get_session)],
    department: str | None = None,
    sort: Literal["full_name", "department", "hired_on"] = Query("full_name"),
    direction: Literal["asc", "desc"] = Query("asc"),
    limit: int = Query(50, le=200),
):
    column = SORTABLE[sort]
    stmt = select(
        Employee.id, Employee.full_name, Employee.department, cast(Employee.hired_on, String).label("hired_on")
    )
    if department:
        stmt = stmt.where(Employee.department == department)
    stmt = stmt.order_by(column.desc() if direction == "desc" else column.asc()).limit(limit)
    result = await session.execute(stmt)
    return [EmployeeOut(**row) for row in result.mappings()]
