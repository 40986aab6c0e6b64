import os
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import FileResponse

from app.auth import User, get_current_user

REPORTS_ROOT = Path(os.environ.get("REPORTS_ROOT", "/srv/reports")).resolve()

router = APIRouter(prefix="/reports", tags=["reports"])


class ReportStore:
    def __init__(self, root: Path):
        self.root = root

    def path_for(self, tenant_id: int, filename: str) -> Path | None:
        tenant_dir = (self.root / str(tenant_id)).resolve()
        candidate = (tenant_dir / filename).resolve()
        if not candidate.is_relative_to(tenant_dir):
            return None
        return candidate


store = ReportStore(REPORTS_ROOT)


@router.get("/{filename:path}")
async def download_report(filename: str, user: Annotated[User, Depends(get_current_user)]):
    path = store.path_for(user.tenant_id, filename)
    if path is None or not path.is_file():
        raise HTTPException(status_code=404, detail="report not found")
    return FileResponse(path, filename=path.name, media_type="application/pdf")
