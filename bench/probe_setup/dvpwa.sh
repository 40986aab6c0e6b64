#!/usr/bin/env bash
# anxolerd/dvpwa (aiohttp 3.5 on Python 3.6, PostgreSQL and Redis from system.sh): pyenv's Python 3.6.15
# copied to papps/dvpwa/py36 (its README asks for Python 3.6.2), and the commit's requirements.txt
# installed with it into papps/dvpwa/site, which bench/probe_apps.py puts on PYTHONPATH. The bench makes
# the database (migrations/*.sql), runs redis-server and writes config/bench.yaml in each run.
. "$(dirname "$0")/common.sh"
dest=$PAPPS/dvpwa
site=$dest/site
mkdir -p "$dest"
# A copy nobody can run: root's pyenv is not readable by it.
pyenv_copy 3.6.15 "$dest/py36"
if [ -f "$site/aiohttp/__init__.py" ] && [ -d "$site/psycopg2" ] && [ -d "$site/aioredis" ]; then
  echo "dvpwa: $site already there"; exit 0
fi
show dvpwa requirements.txt > "$dest/requirements.txt"
# aiohttp 3.5.3 pulls typing-extensions unpinned: 4.1.1 is the last release that runs on Python 3.6.
echo "typing-extensions==4.1.1" > "$dest/constraints.txt"
# Into a temporary folder first, so a failed install leaves no half-made site/ behind; the pyenv copy
# is a shared-library build (libpython3.6m.so in py36/lib). (psycopg2 2.7.6.1 comes as a wheel with its own libpq.)
rm -rf "$site.tmp"
LD_LIBRARY_PATH=$dest/py36/lib "$dest/py36/bin/python3.6" -m pip install --no-cache-dir --target "$site.tmp" \
  -r "$dest/requirements.txt" -c "$dest/constraints.txt"
rm -rf "$site" && mv "$site.tmp" "$site"
chmod -R o+rX "$dest"
echo "dvpwa: ready"
