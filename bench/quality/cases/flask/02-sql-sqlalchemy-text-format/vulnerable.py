from flask import Blueprint, jsonify, request
from flask_login import current_user, login_required
from sqlalchemy import text

from .extensions import db

bp = Blueprint("reports", __name__, url_prefix="/reports")


@bp.route("/sales", methods=["POST"])
@login_required
def sales_report():
    region = request.form["region"]
    start = request.form.get("start", "2024-01-01")
    stmt = text(
        "SELECT product_id, SUM(amount) AS total FROM sales "
        "WHERE region = '%s' AND sold_at >= '%s' AND tenant_id = :tenant "
        "GROUP BY product_id ORDER BY total DESC" % (region, start)
    )
    rows = db.session.execute(stmt, {"tenant": current_user.tenant_id}).mappings().all()
    return jsonify([dict(r) for r in rows])
