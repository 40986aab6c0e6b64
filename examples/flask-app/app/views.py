from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from . import db
from .models import User

bp = Blueprint("views", __name__)


@bp.route("/")
@login_required
def index():
    return render_template("index.html", user=current_user)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        user = db.session.scalar(select(User).where(User.email == request.form.get("email", "").lower()))
        if user is not None and user.check_password(request.form.get("password", "")):
            login_user(user)
            return redirect(url_for("views.index"))
        return render_template("login.html", error="Invalid email or password"), 401
    return render_template("login.html")


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    return redirect(url_for("views.login"))


@bp.route("/go")
def go():
    # Deliberate flaw for the scanner demo: redirects to any URL the query names.
    target = request.args.get("next")
    if not target:
        abort(400)
    return redirect(target)
