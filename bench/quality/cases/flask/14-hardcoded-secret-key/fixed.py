import os

import stripe
from flask import Flask

from .extensions import db, login_manager


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=os.environ["SECRET_KEY"],
        SQLALCHEMY_DATABASE_URI=os.environ["DATABASE_URL"],
        SESSION_COOKIE_SECURE=True,
    )
    stripe.api_key = os.environ["STRIPE_SECRET_KEY"]
    db.init_app(app)
    login_manager.init_app(app)
    return app
