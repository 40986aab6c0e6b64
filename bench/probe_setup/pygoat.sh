#!/usr/bin/env bash
# adeyosemanputra/pygoat (Django 4.2 on SQLite): papps/pygoat/venv with the commit's requirements.txt less
# psycopg2, gunicorn and django-heroku, then django-heroku alone. The bench runs /usr/bin/python3.11 as nobody
# with PYTHONPATH at its site-packages.
. "$(dirname "$0")/common.sh"
app=pygoat
dest=$PAPPS/pygoat
venv=$dest/venv
if [ -f "$venv/.bench-ready" ] && "$venv/bin/python" -c 'import django, allauth, crispy_forms, crispy_bootstrap4, django_heroku, yaml, PIL' 2>/dev/null; then
  echo "$app: $venv already there"; exit 0
fi
mkdir -p "$dest"
# psycopg2 and gunicorn: not needed on SQLite under runserver; django-heroku: its dependencies pull psycopg2 in.
show $app requirements.txt | grep -v -i -E '^(psycopg2|gunicorn|django-heroku)([=<>~! ]|$)' > "$dest/commit-requirements.txt"
rm -rf "$venv"
# The system Python makes the venv (root's pyenv is not readable by nobody).
/usr/bin/python3.11 -m venv "$venv"
"$venv/bin/python" -m pip install -q --no-cache-dir -r "$dest/commit-requirements.txt"
# pygoat's settings.py imports django_heroku (and calls it): the package alone, without its psycopg2,
# dj-database-url and whitenoise dependencies (the last two are in requirements.txt already).
"$venv/bin/python" -m pip install -q --no-cache-dir --no-deps django-heroku==0.3.1
"$venv/bin/python" -m pip freeze > "$dest/requirements.txt"
chmod -R o+rX "$dest"  # the app runs as nobody
touch "$venv/.bench-ready"
echo "$app: ready"
