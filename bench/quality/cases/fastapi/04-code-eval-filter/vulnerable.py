from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import get_db
from app.models import Metric

router = APIRouter()


@router.get("/metrics/alerts")
def alerts(rule: str = "value > 90", db: Session = Depends(get_db)):
    metrics = db.scalars(select(Metric).order_by(Metric.recorded_at.desc()).limit(500)).all()
    triggered = []
    for m in metrics:
        if eval(rule, {}, {"value": m.value, "name": m.name}):
            triggered.append({"name": m.name, "value": m.value})
    return {"rule": rule, "triggered": triggered}
