#!/usr/bin/env bash
# digiator42/Vulnerable-Bottle-App (Bottle 0.13 + Beaker, SQLite, under gunicorn): papps/bottle/venv with the
# commit's requirements.txt. The bench runs /usr/bin/python3.11 -m gunicorn as nobody with PYTHONPATH at its
# site-packages.
. "$(dirname "$0")/common.sh"
app=vulnerable-bottle-app
dest=$PAPPS/bottle
venv=$dest/venv
if [ -f "$venv/.bench-ready" ] && "$venv/bin/python" -c 'import bottle, beaker, bs4, jwt, bcrypt, gunicorn, markdown_it, mdit_py_plugins, pygments, PIL' 2>/dev/null; then
  echo "$app: $venv already there"; exit 0
fi
mkdir -p "$dest"
show $app requirements.txt > "$dest/commit-requirements.txt"
# Its requirements.txt pins nothing (bottle>=0.13.1 requests>=2.25.1 beaker>=1.11.0 bs4 pillow pyjwt bcrypt
# gunicorn cryptography markdown-it-py[plugins] pygments): pip's resolution of it on 2026-12-07, which has the
# releases the earlier runs' freeze named (bottle 0.13.5, Beaker 1.14.1, requests 2.34.2, beautifulsoup4 4.15.0,
# PyJWT 2.15.1, gunicorn 27.0.1); the others were not recorded in the prose.
cat > "$dest/requirements.txt" <<'PINS'
bcrypt==5.0.0
Beaker==1.14.1
beautifulsoup4==4.15.0
bottle==0.13.5
bs4==0.0.2
certifi==2026.10.19.post1
cffi==2.1.1
charset-normalizer==3.5.3
cryptography==51.0.1
gunicorn==27.0.1
idna==3.21
markdown-it-py==4.3.0
mdit-py-plugins==0.7.0
mdurl==0.1.2
pillow==13.0.0
pycparser==3.12
Pygments==2.21.0
PyJWT==2.15.1
requests==2.34.2
soupsieve==2.10
typing_extensions==4.16.0
urllib3==2.8.0
PINS
rm -rf "$venv"
# The system Python makes the venv (root's pyenv is not readable by nobody).
/usr/bin/python3.11 -m venv "$venv"
# The commit's requirements.txt with the pins as constraints: each of its packages installed at the pinned release.
"$venv/bin/python" -m pip install -q --no-cache-dir -r "$dest/commit-requirements.txt" -c "$dest/requirements.txt"
chmod -R o+rX "$dest"  # the app runs as nobody
touch "$venv/.bench-ready"
echo "$app: ready"
