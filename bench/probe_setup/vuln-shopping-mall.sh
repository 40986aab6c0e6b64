#!/usr/bin/env bash
# tmakxss/vulnerable-shopping-mall2 (Flask 2.3.3 with Werkzeug 2.3.7, python-dotenv, pg8000 1.30.3: its
# requirements.txt pins all four): papps/vshop/venv with that file (each has a wheel or is pure Python for
# Python 3.11). The bench runs /usr/bin/python3.11 as nobody with PYTHONPATH at its site-packages (root's pyenv
# is not readable by it). Its README's `python run.py` (the Flask development server, debug=True) is started by
# bench/probe_apps.py through a launcher of ours on loopback and the probe's port, in its PostgreSQL mode (see
# the app's entry in bench/probe_apps.json).
. "$(dirname "$0")/common.sh"
requirements_venv vuln-shopping-mall "$PAPPS/vshop" 'import flask, dotenv, pg8000'
