import hashlib

from flask import Blueprint, jsonify, request

from .extensions import db
from .models import User

bp = Blueprint("auth", __name__)


def hash_password(password: str) -> str:
    return hashlib.md5(password.encode("utf-8")).hexdigest()


@bp.post("/register")
def register():
    data = request.get_json()
    if User.query.filter_by(email=data["email"]).first():
        return jsonify(error="email already registered"), 409
    user = User(email=data["email"], password_hash=hash_password(data["password"]))
    db.session.add(user)
    db.session.commit()
    return jsonify(id=user.id), 201


def verify_password(user: User, password: str) -> bool:
    return user.password_hash == hash_password(password)
