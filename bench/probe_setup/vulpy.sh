#!/usr/bin/env bash
# fportantier/vulpy (Flask, both faces bad/ and good/): papps/vulpy/venv with its requirements.txt's packages.
# vulpy-good is the same commit and venv. The bench runs /usr/bin/python3.11 as nobody with PYTHONPATH at its
# site-packages.
. "$(dirname "$0")/common.sh"
app=vulpy
dest=$PAPPS/vulpy
venv=$dest/venv
if [ -f "$venv/.bench-ready" ] && "$venv/bin/python" -c 'import flask, jwt, jsonschema, geoip2, pyotp, qrcode, cryptography, requests' 2>/dev/null; then
  echo "$app: $venv already there"; exit 0
fi
mkdir -p "$dest"
show $app requirements.txt > "$dest/commit-requirements.txt"
rm -rf "$venv"
# The system Python makes the venv (root's pyenv is not readable by nobody).
/usr/bin/python3.11 -m venv "$venv"
# Its requirements.txt pins nothing: Flask, its Werkzeug/Jinja2/itsdangerous/MarkupSafe/click, PyJWT and
# jsonschema are pinned to the releases current at its last commit (2020-09), the code's own time;
# the rest (cryptography geoip2 pyotp qrcode requests) as they resolve today.
"$venv/bin/python" -m pip install -q --no-cache-dir Flask==1.1.2 Werkzeug==1.0.1 Jinja2==2.11.2 itsdangerous==1.1.0 \
  MarkupSafe==1.1.1 click==7.1.2 PyJWT==1.7.1 jsonschema==3.2.0 cryptography geoip2 pyotp qrcode requests
# Every package of the commit's requirements.txt must be in the venv.
missing=$("$venv/bin/python" - "$dest/commit-requirements.txt" <<'PY'
import sys
from importlib.metadata import distribution, PackageNotFoundError
for name in open(sys.argv[1]).read().split():
    try:
        distribution(name)
    except PackageNotFoundError:
        print(name)
PY
)
[ -z "$missing" ] || { echo "$app: not installed from its requirements.txt: $missing" >&2; exit 1; }
"$venv/bin/python" -m pip freeze > "$dest/requirements.txt"
chmod -R o+rX "$dest"  # the app runs as nobody
touch "$venv/.bench-ready"
echo "$app: ready"
