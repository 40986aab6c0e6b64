import stripe
from flask import Flask

from .extensions import db, login_manager


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY="9f3b7c2e8a41d6f05b9e7c3a2d8f14e6b0c5a7d9e2f3b8c1",
        SQLALCHEMY_DATABASE_URI="postgresql+psycopg://app@db/app",
        SESSION_COOKIE_SECURE=True,
    )
    stripe.api_key = "sk_live_51NzQe2LkR8vT4pWm9XcYb3HdJfGa7Ks0Uq6VnEiPoBr1TyZxWcVb"
    db.init_app(app)
    login_manager.init_app(app)
    return app
