from flask import Flask, flash, redirect, render_template, request, url_for
from flask_login import LoginManager, login_user

from .models import User

app = Flask(__name__)
login_manager = LoginManager(app)


@app.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        user = User.query.filter_by(email=request.form["email"]).first()
        if user and user.check_password(request.form["password"]):
            login_user(user)
            next_url = request.args.get("next")
            return redirect(next_url or url_for("index"))
        flash("Invalid credentials")
    return render_template("login.html")
