#!/usr/bin/env bash
# guiadeappsec/vuln-flask-web-app (Flask 2.0 pages, one module per flaw under vulns/, SQLite temp/database.db in
# the cwd; its README lists the flaws): its Dockerfile (python:3.7 plus imagemagick) runs setup.sh (`pip install -r
# requirements.txt`, `mkdir -p temp`) and `sh run.prod.sh` (FLASK_ENV=development, `python3 prod.py`: waitress's
# serve(app) on *:5000). Here: papps/vfwa/venv from /usr/bin/python3.11 with the commit's requirements.txt less
# lxml==4.8.0 (no wheel for Python 3.11, and nothing in the app imports lxml); the rest installs as pinned (Flask
# 2.0.1, Werkzeug 2.0.1, Jinja2 3.0.1, waitress 2.1.1, requests 2.27.1...), frozen into papps/vfwa/requirements.txt.
# The bench runs /usr/bin/python3.11 as nobody with PYTHONPATH at its site-packages, prod.py through a waitress
# launcher of ours on loopback and the probe's port (see the app's entry in bench/probe_apps.json).
. "$(dirname "$0")/common.sh"
app=vuln-flask-web-app
dest=$PAPPS/vfwa
venv=$dest/venv
if [ -f "$venv/.bench-ready" ] && "$venv/bin/python" -c 'import flask, werkzeug, waitress, requests' 2>/dev/null; then
  echo "$app: $venv already there"; exit 0
fi
mkdir -p "$dest"
show $app requirements.txt | grep -v -i -E '^lxml([=<>~! ]|$)' > "$dest/commit-requirements.txt"
rm -rf "$venv"
/usr/bin/python3.11 -m venv "$venv"
"$venv/bin/python" -m pip install -q --no-cache-dir -r "$dest/commit-requirements.txt"
"$venv/bin/python" -m pip freeze > "$dest/requirements.txt"
chmod -R o+rX "$dest"  # the app runs as nobody
touch "$venv/.bench-ready"
echo "$app: ready"
