import subprocess
from pathlib import Path

from flask import Flask, abort, request, send_file

app = Flask(__name__)
EXPORT_DIR = Path("/var/app/exports")


@app.post("/exports")
def create_export():
    name = request.json.get("name", "export")
    project = request.json["project"]
    cmd = f"tar -czf {EXPORT_DIR}/{name}.tar.gz -C /var/app/projects {project}"
    result = subprocess.run(cmd, shell=True, capture_output=True, text=True)
    if result.returncode != 0:
        abort(500, result.stderr)
    return send_file(EXPORT_DIR / f"{name}.tar.gz", as_attachment=True)
