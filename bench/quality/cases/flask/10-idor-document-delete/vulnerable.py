from flask import Blueprint, abort, jsonify, request
from flask_login import current_user, login_required

from .extensions import db
from .models import Document

bp = Blueprint("documents", __name__, url_prefix="/api/documents")


@bp.get("/<int:doc_id>")
@login_required
def get_document(doc_id: int):
    doc = db.session.get(Document, doc_id)
    if doc is None:
        abort(404)
    return jsonify(doc.to_dict())


@bp.put("/<int:doc_id>")
@login_required
def update_document(doc_id: int):
    doc = db.get_or_404(Document, doc_id)
    doc.title = request.json.get("title", doc.title)
    doc.content = request.json.get("content", doc.content)
    db.session.commit()
    return jsonify(doc.to_dict())


@bp.delete("/<int:doc_id>")
@login_required
def delete_document(doc_id: int):
    doc = db.get_or_404(Document, doc_id)
    db.session.delete(doc)
    db.session.commit()
    return "", 204
