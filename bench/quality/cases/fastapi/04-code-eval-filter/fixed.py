import operator
from typing import Literal

from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import get_db
from app.models import Metric

router = APIRouter()
OPS = {"gt": operator.gt, "ge": operator.ge, "lt": operator.lt, "le": operator.le}


@router.get("/metrics/alerts")
def alerts(op: Literal["gt", "ge", "lt", "le"] = "gt", threshold: float = 90, db: Session = Depends(get_db)):
    metrics = db.scalars(select(Metric).order_by(Metric.recorded_at.desc()).limit(500)).all()
    triggered = []
    for m in metrics:
        if OPS[op](m.value, threshold):
            triggered.append({"name": m.name, "value": m.value})
    return {"rule": f"value {op} {threshold}", "triggered": triggered}
