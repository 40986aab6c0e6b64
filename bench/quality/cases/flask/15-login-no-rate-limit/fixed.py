from flask import Flask, jsonify, request
from flask_jwt_extended import JWTManager, create_access_token
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.security import check_password_hash

from .models import User

app = Flask(__name__)
app.config.from_prefixed_env()
jwt = JWTManager(app)
limiter = Limiter(get_remote_address, app=app, storage_uri=app.config.get("RATELIMIT_STORAGE_URI", "memory://"))


@app.post("/api/auth/login")
@limiter.limit("5 per minute; 50 per hour")
def login():
    body = request.get_json(silent=True) or {}
    user = User.query.filter_by(email=body.get("email", "")).first()
    if user is None or not check_password_hash(user.password_hash, body.get("password", "")):
        return jsonify(msg="Bad email or password"), 401
    return jsonify(access_token=create_access_token(identity=str(user.id)))
