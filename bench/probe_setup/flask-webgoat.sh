#!/usr/bin/env bash
# ShiftLeftSecurity/flask-webgoat (Flask 1.1.2): papps/fwgoat/venv with the commit's requirements.txt, which
# pins everything (click 7.1.2, Flask 1.1.2, itsdangerous 1.1.0, Jinja2 2.11.3, MarkupSafe 1.1.1,
# Werkzeug 1.0.1). The bench runs /usr/bin/python3.11 as nobody with PYTHONPATH at its site-packages.
. "$(dirname "$0")/common.sh"
app=flask-webgoat
dest=$PAPPS/fwgoat
venv=$dest/venv
if [ -f "$venv/.bench-ready" ] && "$venv/bin/python" -c 'import flask; assert flask.__version__ == "1.1.2"' 2>/dev/null; then
  echo "$app: $venv already there"; exit 0
fi
mkdir -p "$dest"
show $app requirements.txt > "$dest/commit-requirements.txt"
rm -rf "$venv"
# The system Python makes the venv (root's pyenv is not readable by nobody).
/usr/bin/python3.11 -m venv "$venv"
# MarkupSafe 1.1.1 has no wheel for Python 3.11: pip builds it from its sdist.
"$venv/bin/python" -m pip install -q --no-cache-dir -r "$dest/commit-requirements.txt"
"$venv/bin/python" -m pip freeze > "$dest/requirements.txt"
chmod -R o+rX "$dest"  # the app runs as nobody
touch "$venv/.bench-ready"
echo "$app: ready"
