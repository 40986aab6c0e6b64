import subprocess

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.http import FileResponse, HttpResponseServerError


@staff_member_required
def export_table(request):
    table = request.POST["table"]
    outfile = f"/tmp/{table}.sql"
    db = settings.DATABASES["default"]
    command = f"pg_dump -h {db['HOST']} -U {db['USER']} -t {table} {db['NAME']} > {outfile}"
    completed = subprocess.run(command, shell=True, env={"PGPASSWORD": db["PASSWORD"]})
    if completed.returncode != 0:
        return HttpResponseServerError("export failed")
    return FileResponse(open(outfile, "rb"), as_attachment=True)
