import subprocess
import tempfile

from django.apps import apps

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.http import FileResponse, HttpResponseBadRequest, HttpResponseServerError


@staff_member_required
def export_table(request):
    table = request.POST["table"]
    known_tables = {m._meta.db_table for m in apps.get_models()}
    if table not in known_tables:
        return HttpResponseBadRequest("unknown table")
    outfile = tempfile.NamedTemporaryFile(suffix=".sql", delete=False).name
    db = settings.DATABASES["default"]
    command = ["pg_dump", "-h", db["HOST"], "-U", db["USER"], "-t", table, "-f", outfile, db["NAME"]]
    completed = subprocess.run(command, env={"PGPASSWORD": db["PASSWORD"]})
    if completed.returncode != 0:
        return HttpResponseServerError("export failed")
    return FileResponse(open(outfile, "rb"), as_attachment=True)
