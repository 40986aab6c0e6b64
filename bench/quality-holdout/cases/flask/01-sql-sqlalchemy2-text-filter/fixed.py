from flask import Blueprint, jsonify, request
from flask_login import login_required
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import text

db = SQLAlchemy()
bp = Blueprint("tickets", __name__, url_prefix="/api/tickets")


class TicketRepository:
    def __init__(self, session):
        self.session = session

    def search(self, project_id: int, assignee: str | None, label: str | None, limit: int = 50):
        filters = ["project_id = :project_id"]
        params: dict[str, object] = {"project_id": project_id, "limit": limit}
        if assignee:
            filters.append("assignee = :assignee")
            params["assignee"] = assignee
        if label:
            filters.append("labels LIKE :label")
            params["label"] = f"%{label}%"
        stmt = text(
            "SELECT id, title, status, assignee FROM tickets WHERE "
            + " AND ".join(filters)
            + " ORDER BY updated_at DESC LIMIT :limit"
        )
        return self.session.execute(stmt, params).mappings().all()


@bp.get("/")
@login_required
def list_tickets():
    repo = TicketRepository(db.session)
    rows = repo.search(
        project_id=request.args.get("project", type=int, default=0),
        assignee=request.args.get("assignee"),
        label=request.args.get("label"),
    )
    return jsonify([dict(r) for r in rows])
