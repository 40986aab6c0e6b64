import io

import requests
from flask import Blueprint, current_app, jsonify, request
from flask_login import current_user, login_required
from PIL import Image

bp = Blueprint("avatars", __name__)

MAX_BYTES = 5 * 1024 * 1024


def download_image(url: str) -> bytes:
    resp = requests.get(url, timeout=10, stream=True)
    resp.raise_for_status()
    data = resp.raw.read(MAX_BYTES + 1, decode_content=True)
    if len(data) > MAX_BYTES:
        raise ValueError("image too large")
    return data


@bp.post("/me/avatar/import")
@login_required
def import_avatar():
    source_url = (request.get_json(silent=True) or {}).get("url", "")
    try:
        data = download_image(source_url)
        Image.open(io.BytesIO(data)).verify()
    except Exception as exc:
        current_app.logger.info("avatar import failed: %s", exc)
        return jsonify(error="could not import image"), 400
    current_user.save_avatar(data)
    return jsonify(ok=True)
