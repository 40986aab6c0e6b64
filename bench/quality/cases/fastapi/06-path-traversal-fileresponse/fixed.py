from pathlib import Path

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import FileResponse

from app.auth import get_current_user

router = APIRouter(dependencies=[Depends(get_current_user)])
REPORTS_DIR = Path("/srv/reports").resolve()


@router.get("/reports/{name:path}")
async def download_report(name: str):
    file_path = (REPORTS_DIR / name).resolve()
    if not file_path.is_relative_to(REPORTS_DIR) or not file_path.is_file():
        raise HTTPException(status_code=404, detail="Report not found")
    return FileResponse(file_path, filename=file_path.name)
