#!/usr/bin/env bash
# Vikentiuiy/vulnerable-web-app's targets/python-web (Flask 2.3.3 under gunicorn 21.2.0, SQLite):
# papps/vsast/venv with the target's requirements.txt, which pins all five (Flask 2.3.3, gunicorn 21.2.0,
# requests 2.31.0, lxml 4.9.3, PyYAML 6.0.1; each has a wheel for Python 3.11). The bench runs
# /usr/bin/python3.11 as nobody with PYTHONPATH at its site-packages (root's pyenv is not readable by it).
# Not installed: the Dockerfile's iputils-ping (the ping route's shell runs all the same; `ping` is not
# found and says so, and the namespace has no network to ping).
. "$(dirname "$0")/common.sh"
app=vuln-sast-python-web
dest=$PAPPS/vsast
venv=$dest/venv
if [ -f "$venv/.bench-ready" ] && "$venv/bin/python" -c 'import flask, gunicorn, lxml, yaml, requests' 2>/dev/null; then
  echo "$app: $venv already there"; exit 0
fi
mkdir -p "$dest"
show $app targets/python-web/requirements.txt > "$dest/commit-requirements.txt"
rm -rf "$venv"
/usr/bin/python3.11 -m venv "$venv"
"$venv/bin/python" -m pip install -q --no-cache-dir -r "$dest/commit-requirements.txt"
"$venv/bin/python" -m pip freeze > "$dest/requirements.txt"
chmod -R o+rX "$dest"  # the app runs as nobody
touch "$venv/.bench-ready"
echo "$app: ready"
