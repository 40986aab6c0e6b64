import requests
from flask import Blueprint, jsonify, request
from flask_login import current_user, login_required

bp = Blueprint("webhooks", __name__)


@bp.post("/webhooks/test")
@login_required
def test_webhook():
    target = request.json["url"]
    payload = {"event": "ping", "account": current_user.id}
    try:
        resp = requests.post(target, json=payload, timeout=5)
    except requests.RequestException as exc:
        return jsonify({"ok": False, "error": str(exc)}), 502
    return jsonify({"ok": resp.ok, "status": resp.status_code, "body": resp.text[:500]})
