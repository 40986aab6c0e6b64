from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import login_user, logout_user
from werkzeug.security import check_password_hash

from .models import User

auth_bp = Blueprint("auth", __name__, url_prefix="/auth")
limiter = Limiter(key_func=get_remote_address, storage_uri="redis://localhost:6379")  # init_app in the factory


@auth_bp.route("/login", methods=["GET", "POST"])
@limiter.limit("5 per minute;30 per hour", methods=["POST"])
def login():
    if request.method == "GET":
        return render_template("auth/login.html")

    email = request.form.get("email", "").strip().lower()
    password = request.form.get("password", "")
    user = User.query.filter_by(email=email).one_or_none()
    if user is None or not check_password_hash(user.password_hash, password):
        flash("Invalid email or password", "error")
        return render_template("auth/login.html"), 401

    login_user(user, remember=request.form.get("remember") == "on")
    return redirect(url_for("dashboard.index"))


@auth_bp.post("/logout")
def logout():
    logout_user()
    return redirect(url_for("auth.login"))
