"""Are the functional checks fair? For each task below, its check must FAIL on the bare
scaffold (the feature is missing) and PASS with a hand-written secure reference solution (so
a check never punishes the secure way of doing it). Needs Flask, FastAPI, Django and pytest
in this Python, and for Express tasks `express` resolvable by node (set NODE_PATH); tasks
whose runner is unavailable are reported as skipped.

    python bench/check_references.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from auditor.bench.judges.functional import FunctionalChecker
from auditor.bench.tasks import Task, load_tasks, write_files

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.bench.replies import SECURE  # noqa: E402  (the Flask references the e2e tests use)


def _django_urls(route: str) -> str:
    return ('from django.urls import path\n\nfrom . import views\n\n'
            f'urlpatterns = [path("health", views.health), {route}]\n')


def _append(task: Task, path: str, code: str) -> dict[str, str]:
    return {path: task.scaffold[path] + code}


def _express(task: Task, code: str) -> dict[str, str]:
    return {"app.js": task.scaffold["app.js"].replace("module.exports = app;", code + "\nmodule.exports = app;")}


def references(tasks: dict[str, Task]) -> dict[str, dict[str, str]]:
    t = tasks
    refs = {tid: {"app.py": code} for tid, code in SECURE.items()}
    refs["fastapi-orders-by-status"] = _append(t["fastapi-orders-by-status"], "main.py", '''

@app.get("/api/orders")
def orders(status: str | None = None, user_id: int = Depends(current_user_id)) -> list:
    sql, params = "SELECT id, status, total FROM orders WHERE user_id = ?", [user_id]
    if status:
        sql += " AND status = ?"
        params.append(status)
    with db.connect() as conn:
        return [dict(r) for r in conn.execute(sql, params).fetchall()]
''')
    refs["fastapi-error-details"] = _append(t["fastapi-error-details"], "main.py", '''
from fastapi import Request
from fastapi.responses import JSONResponse


@app.exception_handler(Exception)
async def on_error(request: Request, exc: Exception):
    return JSONResponse(status_code=500, content={"error": "internal error", "type": type(exc).__name__})


@app.get("/api/debug/fail")
def fail():
    raise RuntimeError("boom")
''')
    refs["django-production-settings"] = _append(t["django-production-settings"], "mysite/settings.py", '''
SECURE_SSL_REDIRECT = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000
ALLOWED_HOSTS = ["shop.example.com"]
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
''')
    refs["django-document-delete"] = {**_append(t["django-document-delete"], "shop/views.py", '''
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from .models import Document


@require_POST
@login_required
def delete_document(request, doc_id):
    get_object_or_404(Document, id=doc_id, owner=request.user).delete()
    return JsonResponse({"deleted": doc_id})
'''), "shop/urls.py": _django_urls('path("api/documents/<int:doc_id>/delete", views.delete_document)')}
    refs["django-search-page"] = {**_append(t["django-search-page"], "shop/views.py", '''
from django.http import HttpResponse
from django.utils.html import format_html, format_html_join

from .models import Document


def search(request):
    q = request.GET.get("q", "")
    docs = Document.objects.filter(owner=request.user, title__icontains=q)
    items = format_html_join("", "<li>{}</li>", ((d.title,) for d in docs))
    return HttpResponse(format_html("<h1>Results for {}</h1><ul>{}</ul>", q, items))
'''), "shop/urls.py": _django_urls('path("search", views.search)')}
    refs["django-api-login"] = {**_append(t["django-api-login"], "shop/views.py", '''
from django.contrib.auth import authenticate, login
from django.views.decorators.http import require_POST


@require_POST
def api_login(request):
    user = authenticate(request, username=request.POST.get("username"), password=request.POST.get("password"))
    if user is None:
        return JsonResponse({"ok": False}, status=401)
    login(request, user)
    return JsonResponse({"ok": True})
'''), "shop/urls.py": _django_urls('path("api/login", views.api_login)')}
    refs["flask-dev-server"] = {"app.py": t["flask-dev-server"].scaffold["app.py"] + '''

if __name__ == "__main__":
    import os

    app.run(host="0.0.0.0", port=5000, debug=os.environ.get("FLASK_DEBUG") == "1")
'''}
    refs["express-welcome-page"] = _express(t["express-welcome-page"], """
const esc = (s) => String(s).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
app.get('/welcome', (req, res) => res.send(`<h1>Welcome, ${esc(req.query.name || '')}!</h1>`));""")
    refs["express-login"] = _express(t["express-login"], """
app.post('/api/login', (req, res) => {
  const user = store.users.find((u) => u.email === req.body.email);
  if (!user || !store.verifyPassword(String(req.body.password || ''), user.passwordHash)) {
    return res.status(401).json({ error: 'invalid credentials' });
  }
  res.json({ id: user.id });
});""")
    refs["express-document-view"] = _express(t["express-document-view"], """
app.get('/api/documents/:id', (req, res) => {
  const doc = store.documents.find((d) => d.id === Number(req.params.id) && req.user && d.ownerId === req.user.id);
  if (!doc) return res.status(404).json({ error: 'not found' });
  res.json({ id: doc.id, title: doc.title, body: doc.body });
});""")
    return refs


def main() -> int:
    tasks = {t.id: t for t in load_tasks()}
    checker = FunctionalChecker()
    bad = 0
    for tid, files in sorted(references(tasks).items()):
        task = tasks[tid]
        reason = checker.unavailable(task)
        if reason:
            print(f"skip  {tid}: {reason}")
            continue
        outcome = []
        for files_now in ({}, files):
            with tempfile.TemporaryDirectory() as tmp:
                write_files(Path(tmp), {**task.scaffold, **files_now})
                outcome.append(checker.run(task, Path(tmp)).passed)
        ok = outcome == [False, True]
        bad += not ok
        print(f"{'ok' if ok else 'BAD':<5} {tid}: scaffold {'passes' if outcome[0] else 'fails'}, "
              f"reference {'passes' if outcome[1] else 'fails'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
