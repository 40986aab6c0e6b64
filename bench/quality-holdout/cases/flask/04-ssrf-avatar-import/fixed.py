import io
import ipaddress
import socket
from urllib.parse import urlsplit

import requests
from flask import Blueprint, current_app, jsonify, request
from flask_login import current_user, login_required
from PIL import Image

bp = Blueprint("avatars", __name__)

MAX_BYTES = 5 * 1024 * 1024


def ensure_public_https(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise ValueError("only https URLs are allowed")
    for info in socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP):
        if not ipaddress.ip_address(info[4][0]).is_global:
            raise ValueError("destination not allowed")
    return url


def download_image(url: str) -> bytes:
    resp = requests.get(ensure_public_https(url), timeout=10, stream=True, allow_redirects=False)
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
