import sqlite3

from flask import Flask, g, jsonify, request

app = Flask(__name__)
DATABASE = "library.db"


def get_db():
    if "db" not in g:
        g.db = sqlite3.connect(DATABASE)
        g.db.row_factory = sqlite3.Row
    return g.db


@app.teardown_appcontext
def close_db(exc):
    db = g.pop("db", None)
    if db is not None:
        db.close()


@app.get("/books")
def list_books():
    author = request.args.get("author", "")
    year = request.args.get("year", type=int)
    query = f"SELECT id, title, author, year FROM books WHERE author LIKE '%{author}%'"
    if year:
        query += f" AND year = {year}"
    rows = get_db().execute(query).fetchall()
    return jsonify([dict(r) for r in rows])


@app.get("/books/<int:book_id>")
def get_book(book_id):
    row = get_db().execute("SELECT * FROM books WHERE id = ?", (book_id,)).fetchone()
    return (jsonify(dict(row)), 200) if row else ("", 404)
