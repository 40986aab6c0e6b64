import ipaddress
import socket
from urllib.parse import urlsplit

import requests
from flask import Blueprint, jsonify, request
from flask_login import current_user, login_required

bp = Blueprint("webhooks", __name__)


def is_public_https_url(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return False
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except socket.gaierror:
        return False
    return all(ipaddress.ip_address(info[4][0]).is_global for info in infos)


@bp.post("/webhooks/test")
@login_required
def test_webhook():
    target = request.json["url"]
    if not is_public_https_url(target):
        return jsonify({"ok": False, "error": "URL must be a public https address"}), 400
    payload = {"event": "ping", "account": current_user.id}
    try:
        resp = requests.post(target, json=payload, timeout=5, allow_redirects=False)
    except requests.RequestException as exc:
        return jsonify({"ok": False, "error": str(exc)}), 502
    return jsonify({"ok": resp.ok, "status": resp.status_code, "body": resp.text[:500]})
