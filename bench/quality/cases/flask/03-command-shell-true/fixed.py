import re
import subprocess
from pathlib import Path

from flask import Flask, abort, request, send_file

app = Flask(__name__)
EXPORT_DIR = Path("/var/app/exports")
SAFE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@app.post("/exports")
def create_export():
    name = request.json.get("name", "export")
    project = request.json["project"]
    if not SAFE_NAME.fullmatch(name) or not SAFE_NAME.fullmatch(project):
        abort(400, "invalid name")
    cmd = ["tar", "-czf", str(EXPORT_DIR / f"{name}.tar.gz"), "-C", "/var/app/projects", "--", project]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        abort(500, result.stderr)
    return send_file(EXPORT_DIR / f"{name}.tar.gz", as_attachment=True)
