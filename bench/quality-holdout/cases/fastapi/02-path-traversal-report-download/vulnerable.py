import os
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import FileResponse

from app.auth import User, get_current_user

REPORTS_ROOT = os.environ.get("REPORTS_ROOT", "/srv/reports")

router = APIRouter(prefix="/reports", tags=["reports"])


class ReportStore:
    def __init__(self, root: str):
        self.root = root

    def path_for(self, tenant_id: int, filename: str) -> str:
        return os.path.join(self.root, str(tenant_id), filename)


store = ReportStore(REPORTS_ROOT)


@router.get("/{filename:path}")
async def download_report(filename: str, user: Annotated[User, Depends(get_current_user)]):
    path = store.path_for(user.tenant_id, filename)
    if not os.path.isfile(path):
        raise HTTPException(status_code=404, detail="report not found")
    return FileResponse(path, filename=os.path.basename(path), media_type="application/pdf")
