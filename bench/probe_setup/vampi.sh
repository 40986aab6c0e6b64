#!/usr/bin/env bash
# erev0s/VAmPI (Flask 2.2 under connexion 2.14, SQLAlchemy 2.0 on SQLite): papps/vampi/venv with the commit's
# requirements.txt. vampi-secure is the same app and venv. The bench runs /usr/bin/python3.11 as nobody with
# PYTHONPATH at its site-packages.
. "$(dirname "$0")/common.sh"
app=vampi
dest=$PAPPS/vampi
venv=$dest/venv
if [ -f "$venv/.bench-ready" ] && "$venv/bin/python" -c 'import connexion, flask_sqlalchemy, jwt, swagger_ui_bundle' 2>/dev/null; then
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
