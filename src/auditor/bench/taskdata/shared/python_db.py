"""Database access for the app: SQLite, one file, path from the APP_DB environment variable."""

import hashlib
import os
import sqlite3

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, name TEXT, email TEXT UNIQUE,
    role TEXT DEFAULT 'user', password_hash TEXT, bio TEXT DEFAULT '');
CREATE TABLE IF NOT EXISTS orders (id INTEGER PRIMARY KEY, user_id INTEGER, status TEXT, total REAL);
CREATE TABLE IF NOT EXISTS documents (id INTEGER PRIMARY KEY, owner_id INTEGER, title TEXT, body TEXT);
"""


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 200_000)
    return salt.hex() + "$" + digest.hex()


def verify_password(password: str, stored: str) -> bool:
    salt, _, _ = stored.partition("$")
    return hash_password(password, bytes.fromhex(salt)) == stored


def connect() -> sqlite3.Connection:
    conn = sqlite3.connect(os.environ.get("APP_DB", "app.db"))
    conn.row_factory = sqlite3.Row
    return conn


def init_db() -> None:
    """Create the tables and the demo rows."""
    with connect() as conn:
        conn.executescript(SCHEMA)
        conn.executemany(
            "INSERT OR IGNORE INTO users (id, name, email, role, password_hash) VALUES (?, ?, ?, ?, ?)",
            [(1, "Ada", "ada@example.com", "user", hash_password("correct horse")),
             (2, "Bob", "bob@example.com", "admin", hash_password("battery staple"))],
        )
        conn.executemany(
            "INSERT OR IGNORE INTO orders (id, user_id, status, total) VALUES (?, ?, ?, ?)",
            [(1, 1, "shipped", 20.0), (2, 1, "pending", 5.5), (3, 2, "shipped", 99.0), (4, 1, "shipped", 12.0)],
        )
        conn.executemany(
            "INSERT OR IGNORE INTO documents (id, owner_id, title, body) VALUES (?, ?, ?, ?)",
            [(1, 1, "Ada notes", "engines"), (2, 2, "Bob plan", "secret plan")],
        )
