"""Accounts twin (Flask): real logins and per-user notes. A form login sets a session cookie;
a JSON login returns a bearer token. Sessions live on the server and expire after
TWIN_SESSION_USES requests (401 afterwards), so a long probe must log in again.
Vulnerable: any logged-in user reads any note (IDOR). Fixed: only the note's owner."""

import itertools
import os
import secrets
import sys

from flask import Flask, jsonify, make_response, request
from twin_support import VULNERABLE

app = Flask(__name__)
PASSWORDS = {"alice": "alice-pw-Kx81", "bob": "bob-pw-Qz27"}
USES = int(os.environ.get("TWIN_SESSION_USES", "1000"))
sessions: dict[str, list] = {}  # session id -> [user, requests left]
notes: dict[int, dict] = {}
ids = itertools.count(1)


def new_session(user: str) -> str:
    sid = secrets.token_hex(16)
    sessions[sid] = [user, USES]
    return sid


def current_user() -> str | None:
    auth = request.headers.get("Authorization", "")
    sid = auth[7:] if auth.startswith("Bearer ") else request.cookies.get("sid", "")
    entry = sessions.get(sid)
    if entry is None or entry[1] <= 0:
        return None
    entry[1] -= 1
    return entry[0]


@app.route("/login", methods=["POST"])
def login():
    user, password = request.form.get("username", ""), request.form.get("password", "")
    if PASSWORDS.get(user) != password:
        return "wrong username or password", 401
    resp = make_response("welcome")
    resp.set_cookie("sid", new_session(user), httponly=True, samesite="Lax")
    return resp


@app.route("/api/token", methods=["POST"])
def token():
    data = request.get_json(silent=True) or {}
    user = str(data.get("user", ""))
    if PASSWORDS.get(user) != data.get("password"):
        return jsonify({"error": "unauthorized"}), 401
    return jsonify({"access_token": new_session(user), "token_type": "bearer"})


@app.route("/api/notes", methods=["POST"])
def create_note():
    user = current_user()
    if user is None:
        return jsonify({"error": "log in"}), 401
    text = str((request.get_json(silent=True) or {}).get("text", ""))
    note_id = next(ids)
    notes[note_id] = {"id": note_id, "owner": user, "text": text}
    return jsonify({"id": note_id}), 201


@app.route("/api/notes/<int:note_id>")
def read_note(note_id):
    user = current_user()
    if user is None:
        return jsonify({"error": "log in"}), 401
    note = notes.get(note_id)
    if note is None or (not VULNERABLE and note["owner"] != user):
        return jsonify({"error": "not found"}), 404
    return jsonify(note)


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(sys.argv[1]), debug=False, use_reloader=False)
