#!/usr/bin/env bash
# Radware/radware-vulnerable-api-application (FastAPI under uvicorn, SQLAlchemy with psycopg2 on PostgreSQL in its external mode):
# papps/rva/venv with the commit's requirements.txt (its Dockerfile's python:3.9-slim; the system Python 3.11
# here). The bench runs /usr/bin/python3.11 as nobody with PYTHONPATH at its site-packages; only the API
# (app.main:app, the Dockerfile's uvicorn backend) runs, not the Flask demo UI nor nginx.
. "$(dirname "$0")/common.sh"
requirements_venv rva "$PAPPS/rva" 'import fastapi, uvicorn, jose, passlib, sqlalchemy, yaml, email_validator'
