#!/usr/bin/env bash
# we45/Vulnerable-Flask-App (Flask 0.12 on Tornado 4.5, Python 2.7): the commit's app/requirements.txt
# installed with bench/.work/py27 (system.sh's copy of pyenv's 2.7.18) into papps/vflask/site, which
# bench/probe_apps.py puts on PYTHONPATH.
. "$(dirname "$0")/common.sh"
dest=$PAPPS/vflask
site=$dest/site
if [ -f "$site/flask/__init__.py" ] && [ -d "$site/tornado" ] && [ -d "$site/jwt" ]; then
  echo "vulnerable-flask-app: $site already there"; exit 0
fi
mkdir -p "$dest"
# Less MySQL-python, gevent, greenlet and grequests: the app never imports them, and they would need
# MySQL headers and old C builds.
show vulnerable-flask-app app/requirements.txt | grep -v -i -E '^(MySQL-python|gevent|greenlet|grequests)==' \
  > "$dest/requirements.txt"
# Into a temporary folder first, so a failed install leaves no half-made site/ behind; the pyenv copy
# is a shared-library build (libpython2.7.so in py27/lib).
rm -rf "$site.tmp"
LD_LIBRARY_PATH=$WORK/py27/lib "$WORK/py27/bin/python2.7" -m pip install --no-cache-dir --target "$site.tmp" \
  -r "$dest/requirements.txt"
rm -rf "$site" && mv "$site.tmp" "$site"
chmod -R o+rX "$dest"  # the app runs as nobody
echo "vulnerable-flask-app: ready"
