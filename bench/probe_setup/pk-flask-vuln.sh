#!/usr/bin/env bash
# Penmetsa-Kumar/flask-vulnerable-app (one Flask module, app.py, its flaws named in its own comments; SQLite
# users.db in the cwd): its Dockerfile (python:3.9-slim) runs `pip install -r requirements.txt` (Flask 2.0.3 and
# Werkzeug 2.0.3, pinned; the rest resolved at setup and frozen into papps/pkflask/requirements.txt) and
# `python app.py`. Here: papps/pkflask/venv from /usr/bin/python3.11 with that file. The bench runs
# /usr/bin/python3.11 as nobody with PYTHONPATH at its site-packages, through the Flask launcher on loopback and
# the probe's port (see the app's entry in bench/probe_apps.json).
. "$(dirname "$0")/common.sh"
requirements_venv pk-flask-vuln "$PAPPS/pkflask" 'import flask, werkzeug'
