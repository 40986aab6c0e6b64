#!/usr/bin/env bash
# ShiftLeftSecurity/flask-webgoat (Flask 1.1.2): papps/fwgoat/venv with the commit's requirements.txt, which
# pins everything (click 7.1.2, Flask 1.1.2, itsdangerous 1.1.0, Jinja2 2.11.3, MarkupSafe 1.1.1,
# Werkzeug 1.0.1). The bench runs /usr/bin/python3.11 as nobody with PYTHONPATH at its site-packages.
. "$(dirname "$0")/common.sh"
# MarkupSafe 1.1.1 has no wheel for Python 3.11: pip builds it from its sdist.
requirements_venv flask-webgoat "$PAPPS/fwgoat" 'import flask; assert flask.__version__ == "1.1.2"'
