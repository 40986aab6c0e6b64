#!/usr/bin/env bash
# dolevf/Damn-Vulnerable-GraphQL-Application (Flask 2.2 + graphene 2 on SQLite, gevent's pywsgi):
# papps/dvga/venv with the commit's requirements.txt as it pins it. The bench puts the venv's bin/ first in
# PATH and runs `python3 app.py` as nobody, which itself runs `python3 setup.py`.
. "$(dirname "$0")/common.sh"
app=dvga
dest=$PAPPS/dvga
venv=$dest/venv
if [ -f "$venv/.bench-ready" ] && "$venv/bin/python3" -c 'import flask_graphql, graphene, gevent, flask_sockets, flask_socketio, flask_graphql_auth' 2>/dev/null; then
  echo "$app: $venv already there"; exit 0
fi
mkdir -p "$dest"
# Less its git+ line (dolevf's fork of flask-sockets: no git fetches here; PyPI's Flask-Sockets 0.2.1 stands in,
# only the /subscriptions websocket uses it) and less its test tools (pytest and what only pytest needs).
show $app requirements.txt | grep -v -E '^(git\+|(pytest|iniconfig|pluggy|exceptiongroup|tomli)==)' > "$dest/requirements.txt"
echo "Flask-Sockets==0.2.1" >> "$dest/requirements.txt"
rm -rf "$venv"
# The system Python makes the venv, so that nobody can run its python3 (root's pyenv is not readable by nobody).
/usr/bin/python3.11 -m venv "$venv"
"$venv/bin/python3" -m pip install -q --no-cache-dir -r "$dest/requirements.txt"
"$venv/bin/python3" -m pip freeze > "$dest/freeze.txt"
chmod -R o+rX "$dest"  # the app runs as nobody
touch "$venv/.bench-ready"
echo "$app: ready"
