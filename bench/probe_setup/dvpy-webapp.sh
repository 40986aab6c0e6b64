#!/usr/bin/env bash
# DioCGomes/damn-vulnerable-python-webapp ("DVPWA - Damn Vulnerable Python Web App": one Flask module, app.py, on
# SQLite vulnerable.db in the cwd, its flaws listed in its README): its Dockerfile (python:3.11-slim) runs
# `pip install -r requirements.txt` (flask 3.0.0, flask-login 0.6.3, werkzeug 3.0.1, jinja2 3.1.2, all pinned; their
# own dependencies resolved at setup and frozen into papps/dvpyweb/requirements.txt) and `python app.py`. Here:
# papps/dvpyweb/venv from /usr/bin/python3.11 with that file. Its Dockerfile also installs iputils-ping for the /cmd
# ping tool; not here (this machine has no ping: the tool answers 'ping: not found', and what the shell runs after
# it still runs). The bench runs /usr/bin/python3.11 as nobody with PYTHONPATH at the venv's site-packages, through
# the Flask launcher on loopback and the probe's port (see the app's entry in bench/probe_apps.json).
. "$(dirname "$0")/common.sh"
requirements_venv dvpy-webapp "$PAPPS/dvpyweb" 'import flask, werkzeug, flask_login, jinja2'
