#!/usr/bin/env bash
# Contrast-Security-OSS/vulnpy's Flask sample app: papps/vulnpy/venv with setup.py's flask extra. vulnpy
# itself is not installed: bench/probe_apps.py runs it from each run's export (PYTHONPATH=src). dsvw borrows
# this venv's lxml too.
. "$(dirname "$0")/common.sh"
app=vulnpy
dest=$PAPPS/vulnpy
venv=$dest/venv
if [ -f "$venv/.bench-ready" ] && "$venv/bin/python" -c 'import flask, yaml, lxml.etree, mock' 2>/dev/null; then
  echo "$app: $venv already there"; exit 0
fi
# The system Python makes the venv: the bench runs /usr/bin/python3.11 as nobody with PYTHONPATH at its
# site-packages (root's pyenv is not readable by nobody).
rm -rf "$venv"
/usr/bin/python3.11 -m venv "$venv"
# setup.py's extras: flask_extras | trigger_extras, the ranges as the commit writes them (unpinned there).
grep -q '"Flask<4"' <<<"$(show $app setup.py)" || { echo "$app: setup.py's flask extra is not Flask<4 any more" >&2; exit 1; }
"$venv/bin/python" -m pip install -q --no-cache-dir 'Flask<4' 'PyYAML<7' 'lxml>=4.3.1' 'mock==3.*'
"$venv/bin/python" -m pip freeze > "$dest/requirements.txt"  # what was resolved, for the record
chmod -R o+rX "$dest"  # the app runs as nobody
touch "$venv/.bench-ready"
echo "$app: ready"
