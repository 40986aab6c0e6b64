from flask import Blueprint, make_response, request
from markupsafe import Markup

bp = Blueprint("newsletter", __name__)


def success_banner(name: str, email: str) -> Markup:
    return Markup(
        '<div class="banner banner--ok">Thanks, <strong>{}</strong>! '
        "We sent a confirmation to {}.</div>"
    ).format(name, email)


PAGE = """<!doctype html>
<html><head><title>Subscribed</title></head>
<body>{banner}<p><a href="/">Back to the blog</a></p></body></html>"""


@bp.post("/newsletter/subscribe")
def subscribe():
    name = request.form.get("name", "friend")
    email = request.form.get("email", "")
    # persistence omitted: handled by the mailing-list provider webhook
    banner = success_banner(name, email)
    resp = make_response(PAGE.format(banner=banner))
    resp.headers["Content-Type"] = "text/html; charset=utf-8"
    return resp
