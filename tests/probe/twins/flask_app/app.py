"""Flask twin: every endpoint has a vulnerable and a fixed form (TWIN_MODE). Inputs enter by
query, form, JSON, header, cookie, Referer and a parameter's name."""

import html
import os
import subprocess
import sys
import traceback
import urllib.request

from flask import Flask, jsonify, make_response, redirect, render_template_string, request
from twin_support import FILES, SECURITY_HEADERS, USERS, VULNERABLE, make_jwt, match, query, read_jwt, setup

app = Flask(__name__)
attempts: dict[str, int] = {}
notes: dict[str, dict] = {}


@app.after_request
def headers(resp):
    origin = request.headers.get("Origin")
    if VULNERABLE and origin:
        resp.headers["Access-Control-Allow-Origin"] = origin
        resp.headers["Access-Control-Allow-Credentials"] = "true"
    if not VULNERABLE:
        resp.headers.update(SECURITY_HEADERS)
    if "visitor_session" not in request.cookies:
        resp.set_cookie("visitor_session", "v1", httponly=not VULNERABLE, samesite=None if VULNERABLE else "Lax")
    return resp


@app.errorhandler(500)
def error(exc):
    if VULNERABLE:
        cause = getattr(exc, "original_exception", None) or exc
        return "<pre>" + html.escape("".join(traceback.format_exception(cause))) + "</pre>", 500
    return "internal error", 500


@app.route("/")
def index():
    return ('<html><body><a href="/hello?name=guest">hello</a> <a href="/item?id=1">item</a>'
            '<form method="post" action="/lookup"><input name="name"></form></body></html>')


@app.route("/item")
def item():
    item_id = request.args.get("id", "1")
    if VULNERABLE:
        rows = query(f"SELECT name FROM items WHERE id = '{item_id}'")
    else:
        rows = query("SELECT name FROM items WHERE id = ?", (item_id,))
    return jsonify([r[0] for r in rows])


@app.route("/lookup", methods=["POST"])
def lookup():
    name = request.form.get("name", "")
    try:
        if VULNERABLE:
            rows = query(f"SELECT id FROM items WHERE name = '{name}'")
        else:
            rows = query("SELECT id FROM items WHERE name = ?", (name,))
    except Exception as exc:  # the vulnerable form shows the database error
        return (f"database error: {exc}" if VULNERABLE else "bad request"), 400
    return jsonify([r[0] for r in rows])


@app.route("/ping")
def ping():
    host = request.headers.get("X-Target-Host", "localhost")
    if VULNERABLE:
        out = subprocess.run(f"echo pinging {host}", shell=True, capture_output=True, text=True, timeout=5).stdout
    else:
        out = subprocess.run(["echo", "pinging", host], capture_output=True, text=True, timeout=5).stdout
    return out, 200, {"Content-Type": "text/plain"}


@app.route("/theme")
def theme():
    choice = request.cookies.get("theme", "light")
    if VULNERABLE:
        return render_template_string("<p>Theme: " + choice + "</p>")
    return render_template_string("<p>Theme: {{ t }}</p>", t=choice)


@app.route("/hello")
def hello():
    name = request.args.get("name", "guest")
    return f"<html><body>Hello {name if VULNERABLE else html.escape(name)}</body></html>"


@app.route("/back")
def back():
    ref = request.headers.get("Referer", "/")
    shown = ref if VULNERABLE else html.escape(ref)
    return f"<html><body><a href='{shown}'>back</a> to {shown}</body></html>"


@app.route("/echo-params")
def echo_params():
    rows = "".join(f"<li>{k if VULNERABLE else html.escape(k)}</li>" for k in request.args)
    return f"<html><body><ul>{rows}</ul></body></html>"


@app.route("/go")
def go():
    target = request.args.get("next", "/")
    if VULNERABLE or (target.startswith("/") and not target.startswith("//") and "\\" not in target):
        return redirect(target)
    return redirect("/")


def _checked(name):
    """The path under FILES; the fixed twin refuses one that leaves it."""
    path = os.path.join(FILES, name)
    if not VULNERABLE and not os.path.realpath(path).startswith(str(FILES) + os.sep):
        return None
    return path


@app.route("/file")
def read_file():
    path = _checked(request.args.get("name", "readme.txt"))
    if path is None:
        return "no", 404
    try:
        with open(path) as fh:
            return fh.read()
    except OSError:
        return "not found", 404


@app.route("/note", methods=["POST"])
def note():
    """Opens the requested path for WRITING (append), then returns what it holds."""
    path = _checked(request.form.get("path", "note.txt"))
    if path is None:
        return "no", 404
    try:
        with open(path, "a+") as fh:
            fh.seek(0)
            return fh.read()
    except OSError:
        return "cannot open", 400


@app.route("/api/fetch", methods=["POST"])
def fetch():
    url = (request.get_json(silent=True) or {}).get("url", "")
    if not VULNERABLE:
        return jsonify({"error": "fetching is disabled"}), 400
    try:
        with urllib.request.urlopen(url, timeout=3) as resp:  # noqa: S310
            return jsonify({"status": resp.status})
    except Exception:
        return jsonify({"status": "failed"})


@app.route("/api/users/find", methods=["POST"])
def find_user():
    data = request.get_json(silent=True) or {}
    username = data.get("username", "")
    if not VULNERABLE and not isinstance(username, str):
        return jsonify({"error": "username must be a string"}), 400
    return jsonify([u for u in USERS if match(u, {"username": username})])


@app.route("/calc")
def calc():
    expr = request.args.get("expr", "1+1")
    if VULNERABLE:
        return str(eval(expr))  # noqa: S307
    return str(sum(int(x) for x in expr.split("+") if x.strip().isdigit()))


@app.route("/login", methods=["POST"])
def login():
    user = request.form.get("username", "")
    password = request.form.get("password", "")
    if not VULNERABLE:
        attempts[user] = attempts.get(user, 0) + 1
        if attempts[user] > 5:
            return "too many attempts", 429
    if user == "alice" and password == "correct horse":
        resp = make_response("welcome")
        resp.set_cookie("session_id", "s3ss10n", httponly=not VULNERABLE, samesite=None if VULNERABLE else "Lax")
        return resp
    return "wrong username or password", 401


@app.route("/api/token")
def token():
    return jsonify({"token": make_jwt({"sub": "guest", "role": "user"})})


@app.route("/api/me")
def me():
    auth = request.headers.get("Authorization", "")
    claims = read_jwt(auth.removeprefix("Bearer ").strip()) if auth.startswith("Bearer ") else None
    if claims is None:
        return jsonify({"error": "unauthorized"}), 401
    return jsonify({"user": claims.get("sub")})


@app.route("/api/notes", methods=["POST"])
def create_note():
    data = request.get_json(silent=True) or {}
    user = request.headers.get("X-User", "anonymous")
    note_id = str(len(notes) + 1)
    if VULNERABLE:
        note = {"owner": user, "role": "user", **data, "id": note_id}
    else:
        note = {"owner": user, "role": "user", "text": str(data.get("text", "")), "id": note_id}
    notes[note_id] = note
    return jsonify(note), 201


@app.route("/api/notes/<note_id>")
def read_note(note_id):
    note = notes.get(note_id)
    if note is None or (not VULNERABLE and note["owner"] != request.headers.get("X-User", "anonymous")):
        return jsonify({"error": "not found"}), 404
    return jsonify(note)


if __name__ == "__main__":
    setup()
    app.run(host="127.0.0.1", port=int(sys.argv[1]), debug=False, use_reloader=False)
