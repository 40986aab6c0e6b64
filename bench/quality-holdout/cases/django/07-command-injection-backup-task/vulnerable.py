import subprocess
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

BACKUP_DIR = Path(settings.BASE_DIR) / "backups"


class BackupService:
    def __init__(self, database: dict):
        self.database = database

    def dump(self, label: str) -> Path:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = BACKUP_DIR / f"{stamp}-{label}.sql.gz"
        db = self.database
        command = (
            f"pg_dump -h {db['HOST']} -U {db['USER']} {db['NAME']} "
            f"| gzip > {target}"
        )
        subprocess.run(command, shell=True, check=True, env={"PGPASSWORD": db["PASSWORD"]})
        return target


@staff_member_required
@require_POST
def create_backup(request):
    label = request.POST.get("label", "manual")
    path = BackupService(settings.DATABASES["default"]).dump(label)
    messages.success(request, f"Backup written to {path.name}")
    return redirect("admin:index")
