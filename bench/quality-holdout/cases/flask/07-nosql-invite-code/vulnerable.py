from datetime import UTC, datetime

from flask import Blueprint, current_app, jsonify, request
from flask_login import current_user, login_required
from pymongo import ReturnDocument

bp = Blueprint("invites", __name__, url_prefix="/api/invites")


def invites_collection():
    return current_app.extensions["mongo"].db.invites


@bp.post("/redeem")
@login_required
def redeem_invite():
    body = request.get_json(silent=True) or {}
    code = body.get("code")
    if not code:
        return jsonify(error="code is required"), 400

    invite = invites_collection().find_one_and_update(
        {"code": code, "redeemed_by": None, "expires_at": {"$gt": datetime.now(UTC)}},
        {"$set": {"redeemed_by": current_user.id, "redeemed_at": datetime.now(UTC)}},
        return_document=ReturnDocument.AFTER,
    )
    if invite is None:
        return jsonify(error="invalid or expired invite"), 404
    current_user.join_workspace(invite["workspace_id"], role=invite.get("role", "member"))
    return jsonify(workspace_id=str(invite["workspace_id"]))
