#!/usr/bin/env bash
# alphinside/gemini-cli-code-analysis-demo (a FastAPI inventory API on SQLite through SQLAlchemy, made deliberately
# vulnerable for a Gemini CLI review demo): its README asks for uv (pyproject.toml: requires-python >=3.12,
# fastapi[standard]>=0.120.2 and sqlalchemy>=2.0.44; uv.lock pins the rest) and main.py's __main__ runs uvicorn. Here:
# pyenv's Python 3.12.1 copied to papps/geminv/py312 (root's pyenv is not readable by nobody, who runs the app), and
# the two direct dependencies installed by it into papps/geminv/site at uv.lock's versions (every package uv.lock
# pins, less the project itself, given to pip as constraints). One addition, without which the app does not start:
# requests (main.py imports it for /admin/fetch-url/, but neither pyproject.toml nor uv.lock has it; resolved at
# setup, unpinned). What was installed is frozen into papps/geminv/requirements.txt.
. "$(dirname "$0")/common.sh"
app=gemini-inventory
dest=$PAPPS/geminv
py=$dest/py312/bin/python3.12
if [ -f "$dest/site/.bench-ready" ] && PYTHONPATH=$dest/site "$py" -c 'import fastapi, uvicorn, sqlalchemy, requests' 2>/dev/null; then
  echo "$app: $dest already there"; exit 0
fi
mkdir -p "$dest"
pyenv_copy 3.12.1 "$dest/py312"
show $app uv.lock > "$dest/uv.lock"
"$py" - "$dest/uv.lock" > "$dest/constraints.txt" <<'PY'
import sys, tomllib
lock = tomllib.load(open(sys.argv[1], "rb"))
for p in lock["package"]:
    if "registry" in p.get("source", {}):
        print(f"{p['name']}=={p['version']}")
PY
rm -rf "$dest/site"
"$py" -m pip install -q --no-cache-dir --target "$dest/site" -c "$dest/constraints.txt" \
  'fastapi[standard]==0.120.2' 'sqlalchemy==2.0.44' requests
PYTHONPATH=$dest/site "$py" -m pip freeze --path "$dest/site" > "$dest/requirements.txt"
chmod -R o+rX "$dest"  # the app runs as nobody
touch "$dest/site/.bench-ready"
echo "$app: ready"
