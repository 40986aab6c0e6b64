#!/usr/bin/env bash
# tkisason/vulnapi (FastAPI on uvicorn, SQLite and JSON files): its Dockerfile (ubuntu:20.04, so Python 3.8) runs
# `pip3 install -r requirements.txt` (requests, fastapi, uvicorn, python-multipart, pyjwt, passlib, passlib[bcrypt],
# bcrypt, Jinja2 unpinned; pyyaml==3.13, whose constructor still uses collections.Hashable, gone in Python 3.10) and
# run.sh (`uvicorn main:app --http h11 --reload --host 0.0.0.0`). Here: pyenv's Python 3.8.18 copied to
# papps/vulnapi/py38 (root's pyenv is not readable by nobody, who runs the app) and the commit's requirements.txt
# installed by it into papps/vulnapi/site (pip picks the newest releases that still take Python 3.8; what the
# unpinned lines resolved to is frozen into papps/vulnapi/requirements.txt). The bench runs py38's python as nobody
# with PYTHONPATH at site (see the app's entry in bench/probe_apps.json).
. "$(dirname "$0")/common.sh"
app=vulnapi
dest=$PAPPS/vulnapi
py=$dest/py38/bin/python3.8
if [ -f "$dest/site/.bench-ready" ] && PYTHONPATH=$dest/site "$py" -c 'import fastapi, uvicorn, jwt, yaml, bcrypt, jinja2, requests, multipart' 2>/dev/null; then
  echo "$app: $dest already there"; exit 0
fi
mkdir -p "$dest"
pyenv_copy 3.8.18 "$dest/py38"
show $app requirements.txt > "$dest/commit-requirements.txt"
rm -rf "$dest/site"
"$py" -m pip install -q --no-cache-dir --target "$dest/site" -r "$dest/commit-requirements.txt"
PYTHONPATH=$dest/site "$py" -m pip freeze --path "$dest/site" > "$dest/requirements.txt"
chmod -R o+rX "$dest"  # the app runs as nobody
touch "$dest/site/.bench-ready"
echo "$app: ready"
