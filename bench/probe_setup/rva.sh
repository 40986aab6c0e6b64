#!/usr/bin/env bash
# Radware/radware-vulnerable-api-application (FastAPI under uvicorn, SQLAlchemy with psycopg2 on PostgreSQL in its external mode):
# papps/rva/venv with the commit's requirements.txt (its Dockerfile's python:3.9-slim; the system Python 3.11
# here). The bench runs /usr/bin/python3.11 as nobody with PYTHONPATH at its site-packages; only the API
# (app.main:app, the Dockerfile's uvicorn backend) runs, not the Flask demo UI nor nginx.
. "$(dirname "$0")/common.sh"
app=rva
dest=$PAPPS/rva
venv=$dest/venv
if [ -f "$venv/.bench-ready" ] && "$venv/bin/python" -c 'import fastapi, uvicorn, jose, passlib, sqlalchemy, yaml, email_validator' 2>/dev/null; then
  echo "$app: $venv already there"; exit 0
fi
mkdir -p "$dest"
show $app requirements.txt > "$dest/commit-requirements.txt"
rm -rf "$venv"
# The system Python makes the venv (root's pyenv is not readable by nobody).
/usr/bin/python3.11 -m venv "$venv"
"$venv/bin/python" -m pip install -q --no-cache-dir -r "$dest/commit-requirements.txt"
"$venv/bin/python" -m pip freeze > "$dest/requirements.txt"  # what the unpinned ones resolved to, for the record
chmod -R o+rX "$dest"  # the app runs as nobody
touch "$venv/.bench-ready"
echo "$app: ready"
