import gzip
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

BACKUP_DIR = Path(settings.BASE_DIR) / "backups"
LABEL = re.compile(r"^[a-z0-9-]{1,40}$")


class BackupService:
    def __init__(self, database: dict):
        self.database = database

    def dump(self, label: str) -> Path:
        if not LABEL.fullmatch(label):
            raise ValueError("label must be lowercase letters, digits and dashes")
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = BACKUP_DIR / f"{stamp}-{label}.sql.gz"
        db = self.database
        args = ["pg_dump", "-h", db["HOST"], "-U", db["USER"], "--", db["NAME"]]
        with subprocess.Popen(args, stdout=subprocess.PIPE, env={"PGPASSWORD": db["PASSWORD"]}) as proc:
            with gzip.open(target, "wb") as out:
                shutil.copyfileobj(proc.stdout, out)
        if proc.returncode != 0:
            raise RuntimeError("pg_dump failed")
        return target


@staff_member_required
@require_POST
def create_backup(request):
    label = request.POST.get("label", "manual")
    try:
        path = BackupService(settings.DATABASES["default"]).dump(label)
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Backup written to {path.name}")
    return redirect("admin:index")
