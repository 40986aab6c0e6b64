#!/usr/bin/env bash
# laugiov/code-safety's vulnerable-app/ (VulnShop: Django 3.0 + DRF 3.14 on SQLite, its 16 flaws tabled in
# vulnerable-app/README.md and marked 'VULNERABILITY Vnn' in each handler): its Dockerfile (python:3.11-slim) runs
# `pip install -r requirements.txt`, whose pins (Django==3.0.0, Pillow==8.0.0, lxml==4.4.0, cryptography==2.3,
# PyYAML==5.3, ...) have no wheels for Python 3.11 (Pillow 8.0.0 and lxml 4.4.0 would build from source, and do not
# with that image's gcc and libpq-dev alone). Every pin has a wheel for Python 3.7 (PyYAML 5.3 builds there as pure
# Python), and Django 3.0 supports 3.6 to 3.8: pyenv's Python 3.7.16 copied to papps/vulnshop/py37 (root's pyenv is
# not readable by nobody, who runs the app) and the commit's requirements.txt installed by it into papps/vulnshop/site
# (its unpinned lines resolved to the newest releases that take 3.7, frozen into papps/vulnshop/requirements.txt).
# Less one line: `httpx>=0.24.0` ('used in webhooks', though no module of the app imports it) cannot be installed with
# its `requests==2.20.0` on any Python (httpx's anyio needs idna>=2.8, that requests idna<2.8: pip backtracks for
# good), so papps/vulnshop/commit-requirements.txt is the file without it. And one pin moved: its settings.py (written
# for a later Django: 'NAME': BASE_DIR / 'db.sqlite3', DEFAULT_AUTO_FIELD) does not run on its `Django==3.0.0`, whose
# SQLite backend takes only a str (every manage.py command: TypeError: argument of type 'PosixPath' is not iterable);
# Django 3.1 is the first to take a Path there, so `Django==3.1.14` (3.1's last release) stands in for it.
# The bench runs py37's python as nobody with PYTHONPATH at site (see the app's entry in bench/probe_apps.json).
. "$(dirname "$0")/common.sh"
app=vulnshop
dest=$PAPPS/vulnshop
py=$dest/py37/bin/python3.7
if [ -f "$dest/site/.bench-ready" ] && PYTHONPATH=$dest/site "$py" -c 'import django, rest_framework, lxml, requests, yaml, PIL; assert django.VERSION[:2] == (3, 1)' 2>/dev/null; then
  echo "$app: $dest already there"; exit 0
fi
mkdir -p "$dest"
pyenv_copy 3.7.16 "$dest/py37"
show $app vulnerable-app/requirements.txt | grep -v '^httpx' | sed 's/^Django==3\.0\.0$/Django==3.1.14/' > "$dest/commit-requirements.txt"
rm -rf "$dest/site"
"$py" -m pip install -q --no-cache-dir --target "$dest/site" -r "$dest/commit-requirements.txt"
PYTHONPATH=$dest/site "$py" -m pip freeze --path "$dest/site" > "$dest/requirements.txt"
chmod -R o+rX "$dest"  # the app runs as nobody
touch "$dest/site/.bench-ready"
echo "$app: ready"
