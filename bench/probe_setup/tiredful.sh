#!/usr/bin/env bash
# payatu/Tiredful-API (Django 1.11 + DRF 3.7 + django-oauth-toolkit 1.0 on Python 2.7): the commit's
# requirements.txt installed with bench/.work/py27 (system.sh's copy of pyenv's 2.7.18, its Dockerfile's
# python 2.7) into papps/tiredful/site, which bench/probe_apps.py puts on PYTHONPATH.
. "$(dirname "$0")/common.sh"
dest=$PAPPS/tiredful
site=$dest/site
if [ -f "$site/django/__init__.py" ] && [ -d "$site/rest_framework" ] && [ -d "$site/oauth2_provider" ]; then
  echo "tiredful: $site already there"; exit 0
fi
mkdir -p "$dest"
show tiredful requirements.txt > "$dest/requirements.txt"
# Installed into a temporary folder first, so a failed install leaves no half-made site/ behind.
# The pyenv copy is a shared-library build: its libpython2.7.so is in py27/lib.
rm -rf "$site.tmp"
LD_LIBRARY_PATH=$WORK/py27/lib "$WORK/py27/bin/python2.7" -m pip install --no-cache-dir --target "$site.tmp" \
  -r "$dest/requirements.txt"
rm -rf "$site" && mv "$site.tmp" "$site"
chmod -R o+rX "$dest"  # the app runs as nobody
echo "tiredful: ready"
