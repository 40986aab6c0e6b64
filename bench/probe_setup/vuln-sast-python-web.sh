#!/usr/bin/env bash
# Vikentiuiy/vulnerable-web-app's targets/python-web (Flask 2.3.3 under gunicorn 21.2.0, SQLite):
# papps/vsast/venv with the target's requirements.txt, which pins all five (Flask 2.3.3, gunicorn 21.2.0,
# requests 2.31.0, lxml 4.9.3, PyYAML 6.0.1; each has a wheel for Python 3.11). The bench runs
# /usr/bin/python3.11 as nobody with PYTHONPATH at its site-packages (root's pyenv is not readable by it).
# Not installed: the Dockerfile's iputils-ping (the ping route's shell runs all the same; `ping` is not
# found and says so, and the namespace has no network to ping).
. "$(dirname "$0")/common.sh"
requirements_venv vuln-sast-python-web "$PAPPS/vsast" 'import flask, gunicorn, lxml, yaml, requests' targets/python-web/requirements.txt
