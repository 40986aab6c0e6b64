#!/usr/bin/env bash
# mpirnat/lets-be-bad-guys (Django 1.9.6 + django-debug-toolbar 1.4, no database; its README names Python
# 2.7): the commit's requirements.txt installed with bench/.work/py27 (system.sh's copy of pyenv's 2.7.18)
# into papps/lbbg/site, which bench/probe_apps.py puts on PYTHONPATH.
. "$(dirname "$0")/common.sh"
dest=$PAPPS/lbbg
site=$dest/site
if [ -f "$site/django/__init__.py" ] && [ -d "$site/debug_toolbar" ]; then
  echo "lets-be-bad-guys: $site already there"; exit 0
fi
mkdir -p "$dest"
show lets-be-bad-guys requirements.txt > "$dest/requirements.txt"
# django-debug-toolbar 1.4 pulls sqlparse unpinned: 0.3.1 is what pip resolves on Python 2.7 (the last
# release for it), held here so a rebuild gets the same.
echo "sqlparse==0.3.1" > "$dest/constraints.txt"
# Into a temporary folder first, so a failed install leaves no half-made site/ behind; the pyenv copy
# is a shared-library build (libpython2.7.so in py27/lib).
rm -rf "$site.tmp"
LD_LIBRARY_PATH=$WORK/py27/lib "$WORK/py27/bin/python2.7" -m pip install --no-cache-dir --target "$site.tmp" \
  -r "$dest/requirements.txt" -c "$dest/constraints.txt"
rm -rf "$site" && mv "$site.tmp" "$site"
chmod -R o+rX "$dest"  # the app runs as nobody
echo "lets-be-bad-guys: ready"
