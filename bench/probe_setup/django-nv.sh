#!/usr/bin/env bash
# nVisium/django.nV (Django 1.8.3 on SQLite): pyenv's Python 3.6.15 copied to papps/dnv/py36 (its README
# asks for Python 3.4+, and Django 1.8 predates 3.7), and the commit's requirements.txt (Django==1.8.3)
# installed with it into papps/dnv/site, which bench/probe_apps.py puts on PYTHONPATH. The bench itself
# runs reset_db.sh's steps (migrate, loaddata) and makes its users in each run's export.
. "$(dirname "$0")/common.sh"
dest=$PAPPS/dnv
site=$dest/site
mkdir -p "$dest"
# A copy nobody can run: root's pyenv is not readable by it.
pyenv_copy 3.6.15 "$dest/py36"
if [ -f "$site/django/__init__.py" ]; then
  echo "django-nv: $site already there"; exit 0
fi
show django-nv requirements.txt > "$dest/requirements.txt"
# Into a temporary folder first, so a failed install leaves no half-made site/ behind; the pyenv copy
# is a shared-library build (libpython3.6m.so in py36/lib).
rm -rf "$site.tmp"
LD_LIBRARY_PATH=$dest/py36/lib "$dest/py36/bin/python3.6" -m pip install --no-cache-dir --target "$site.tmp" \
  -r "$dest/requirements.txt"
rm -rf "$site" && mv "$site.tmp" "$site"
chmod -R o+rX "$dest"
echo "django-nv: ready"
