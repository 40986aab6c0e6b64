from flask import Blueprint, abort, render_template_string, request
from flask_login import current_user, login_required

from .models import EmailTemplate

bp = Blueprint("email_templates", __name__, url_prefix="/settings/emails")

SAMPLE_CONTEXT = {
    "customer": {"first_name": "Ada", "last_name": "Lovelace"},
    "order": {"number": "A-1042", "total": "129.00"},
}


@bp.post("/<int:template_id>/preview")
@login_required
def preview(template_id: int):
    template = EmailTemplate.query.filter_by(id=template_id, account_id=current_user.account_id).first()
    if template is None:
        abort(404)
    source = request.form.get("body", template.body)
    return render_template_string(source, **SAMPLE_CONTEXT)
