#!/usr/bin/env bash
# SidneyJob/FVWA (Flask Vulnerable Web Application, a CTF of eleven tasks): its Dockerfile (python:3.9-slim) runs
# `pip install -r requirements.txt` (click, Flask, PyJWT, lxml, gitpython, none pinned) and `python3 app.py` (main.py
# copied to app.py beside settings.py, templates/ and static/). Here: papps/fvwa/venv from /usr/bin/python3.11 with
# that file (each has a wheel for Python 3.11; what the unpinned lines resolved to is frozen into
# papps/fvwa/requirements.txt). The bench runs /usr/bin/python3.11 as nobody with PYTHONPATH at its site-packages
# (root's pyenv is not readable by it), through a launcher of ours on loopback and the probe's port (see the app's
# entry in bench/probe_apps.json).
. "$(dirname "$0")/common.sh"
requirements_venv fvwa "$PAPPS/fvwa" 'import flask, jwt, lxml'
