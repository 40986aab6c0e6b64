"""FastAPI twin: vulnerable or fixed (TWIN_MODE). Inputs by Query, Header, Cookie, Form and a
pydantic body; the vulnerable form runs with debug tracebacks."""

import html
import os
import subprocess
import sys
import urllib.request
from typing import Annotated

import uvicorn
from fastapi import Cookie, FastAPI, Form, Header, Query
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse
from jinja2 import Template
from pydantic import BaseModel
from twin_support import FILES, SECURITY_HEADERS, USERS, VULNERABLE, match, query, setup

app = FastAPI(debug=VULNERABLE)


class Hook(BaseModel):
    callback_url: str
    owner: str | dict = ""


@app.get("/products")
def products(code: str = Query("1")):
    if VULNERABLE:
        rows = query(f"SELECT name FROM items WHERE id = {code}")
    else:
        rows = query("SELECT name FROM items WHERE id = ?", (code,))
    return [r[0] for r in rows]


@app.get("/whoami", response_class=HTMLResponse)
def whoami(x_client_name: Annotated[str, Header()] = "anon"):
    shown = x_client_name if VULNERABLE else html.escape(x_client_name)
    return HTMLResponse(f"<html><body>client {shown}</body></html>", headers={} if VULNERABLE else SECURITY_HEADERS)


@app.get("/archive")
def archive(fmt: Annotated[str, Cookie()] = "tar"):
    if VULNERABLE:
        out = subprocess.run(f"echo archive format {fmt}", shell=True, capture_output=True, text=True, timeout=5)
    else:
        out = subprocess.run(["echo", "archive", "format", fmt], capture_output=True, text=True, timeout=5)
    return PlainTextResponse(out.stdout)


@app.get("/card")
def card(title: str = "hi"):
    if VULNERABLE:
        return PlainTextResponse(Template("Card: " + title).render())
    return PlainTextResponse(Template("Card: {{ t }}").render(t=title))


@app.post("/continue")
def go_on(next_url: Annotated[str, Form()] = "/"):
    if VULNERABLE or (next_url.startswith("/") and not next_url.startswith("//") and "\\" not in next_url):
        return RedirectResponse(next_url, status_code=303)
    return RedirectResponse("/", status_code=303)


@app.get("/download")
def download(path: str = "readme.txt"):
    full = os.path.join(FILES, path)
    if not VULNERABLE and not os.path.realpath(full).startswith(str(FILES) + os.sep):
        return PlainTextResponse("no", status_code=404)
    try:
        with open(full) as fh:
            return PlainTextResponse(fh.read())
    except OSError:
        return PlainTextResponse("not found", status_code=404)


@app.post("/hooks")
def hooks(hook: Hook):
    if VULNERABLE:
        try:
            with urllib.request.urlopen(hook.callback_url, timeout=3) as resp:  # noqa: S310
                return {"status": resp.status}
        except Exception:
            return {"status": "failed"}
    return JSONResponse({"error": "only registered hosts"}, status_code=400)


class Finder(BaseModel):
    username: str | dict


@app.post("/users/search")
def users_search(body: Finder):
    if not VULNERABLE and not isinstance(body.username, str):
        return JSONResponse({"error": "username must be a string"}, status_code=422)
    return [u for u in USERS if match(u, {"username": body.username})]


@app.get("/crash")
def crash(n: int = 1):
    return {"inverse": 1 / (n - 1)}


if __name__ == "__main__":
    setup()
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
