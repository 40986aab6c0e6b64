import yaml
from flask import Flask, jsonify, request
from flask_login import login_required

from .services import apply_pipeline_config

app = Flask(__name__)


@app.post("/pipelines/import")
@login_required
def import_pipeline():
    upload = request.files["config"]
    config = yaml.safe_load(upload.read())
    if not isinstance(config, dict) or "steps" not in config:
        return jsonify(error="invalid pipeline file"), 400
    pipeline_id = apply_pipeline_config(config)
    return jsonify(id=pipeline_id), 201
