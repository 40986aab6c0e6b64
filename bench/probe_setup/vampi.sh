#!/usr/bin/env bash
# erev0s/VAmPI (Flask 2.2 under connexion 2.14, SQLAlchemy 2.0 on SQLite): papps/vampi/venv with the commit's
# requirements.txt. vampi-secure is the same app and venv. The bench runs /usr/bin/python3.11 as nobody with
# PYTHONPATH at its site-packages.
. "$(dirname "$0")/common.sh"
requirements_venv vampi "$PAPPS/vampi" 'import connexion, flask_sqlalchemy, jwt, swagger_ui_bundle'
