#!/usr/bin/env bash
# theowni/Damn-Vulnerable-RESTaurant-API-Game (FastAPI on PostgreSQL): papps/restaurant/venv with the runtime
# packages of the commit's poetry.lock at the lock's versions. The bench runs /usr/bin/python3.11 as nobody with
# PYTHONPATH at its site-packages; PostgreSQL itself comes from system.sh.
. "$(dirname "$0")/common.sh"
app=restaurant
dest=$PAPPS/restaurant
venv=$dest/venv
if [ -f "$venv/.bench-ready" ] && "$venv/bin/python" -c 'import fastapi, uvicorn, psycopg2, alembic, jose, slowapi' 2>/dev/null; then
  echo "$app: $venv already there"; exit 0
fi
mkdir -p "$dest"
# pyproject.toml's main group (fastapi, uvicorn[standard], httpx, sqlalchemy, psycopg2, python-jose, passlib,
# python-multipart, bcrypt, requests, alembic, colorama, pillow, psutil, slowapi) and their dependencies for
# Linux / CPython 3.11, each at poetry.lock's version; left out: the main group's test and lint tools (pytest,
# pytest-mock, pytest-asyncio, pytest-json-report, requests-mock, pylint) and the dev group.
cat > "$dest/requirements.txt" <<'EOF'
alembic==1.14.1
annotated-types==0.7.0
anyio==3.7.1
bcrypt==4.2.1
certifi==2025.1.31
charset-normalizer==3.4.1
click==8.1.8
colorama==0.4.6
deprecated==1.2.18
ecdsa==0.19.0
fastapi==0.103.2
greenlet==3.1.1
h11==0.14.0
httpcore==0.17.3
httptools==0.6.4
httpx==0.24.1
idna==3.10
limits==5.6.0
mako==1.3.9
markupsafe==3.0.2
packaging==24.2
passlib==1.7.4
pillow==11.1.0
psutil==7.0.0
psycopg2==2.9.10
pyasn1==0.6.1
pydantic==2.10.6
pydantic-core==2.27.2
python-dotenv==1.0.1
python-jose==3.3.0
python-multipart==0.0.9
pyyaml==6.0.2
requests==2.32.3
rsa==4.9
six==1.17.0
slowapi==0.1.9
sniffio==1.3.1
sqlalchemy==2.0.38
starlette==0.27.0
typing-extensions==4.12.2
urllib3==2.3.0
uvicorn==0.23.2
uvloop==0.21.0
watchfiles==1.0.4
websockets==15.0
wrapt==1.17.3
EOF
# The pins above were read from this lock: stop if the commit's lock says otherwise (a spot check).
lock=$(show $app poetry.lock)
grep -A1 '^name = "fastapi"$' <<<"$lock" | grep -q 'version = "0.103.2"' ||
  { echo "$app: poetry.lock's fastapi is not 0.103.2" >&2; exit 1; }
rm -rf "$venv"
# The system Python makes the venv (root's pyenv is not readable by nobody).
/usr/bin/python3.11 -m venv "$venv"
# psycopg2 (not -binary) builds from its sdist against Debian's libpq-dev (pg_config), which system.sh installs.
"$venv/bin/python" -m pip install -q --no-cache-dir --no-deps -r "$dest/requirements.txt"
"$venv/bin/python" -m pip check
chmod -R o+rX "$dest"  # the app runs as nobody
touch "$venv/.bench-ready"
echo "$app: ready"
