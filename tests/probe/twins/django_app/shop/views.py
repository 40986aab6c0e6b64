"""Django twin views: vulnerable or fixed (TWIN_MODE)."""

import html
import json
import os
import subprocess
import urllib.request

from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from twin_support import FILES, SECURITY_HEADERS, VULNERABLE, query


def _page(body):
    resp = HttpResponse(f"<html><body>{body}</body></html>")
    if not VULNERABLE:
        for k, v in SECURITY_HEADERS.items():
            resp[k] = v
    return resp


def item(request):
    sku = request.GET.get("sku", "1")
    if VULNERABLE:
        rows = query(f"SELECT name FROM items WHERE id = '{sku}'")
    else:
        rows = query("SELECT name FROM items WHERE id = ?", (sku,))
    return JsonResponse({"names": [r[0] for r in rows]})


def banner(request):
    motto = request.COOKIES.get("motto", "welcome")
    return _page(motto if VULNERABLE else html.escape(motto))


@csrf_exempt
def convert(request):
    unit = request.POST.get("unit", "kg")
    if VULNERABLE:
        out = subprocess.run(f"echo converting to {unit}", shell=True, capture_output=True, text=True, timeout=5)
    else:
        out = subprocess.run(["echo", "converting", "to", unit], capture_output=True, text=True, timeout=5)
    return HttpResponse(out.stdout, content_type="text/plain")


def leave(request):
    dest = request.META.get("HTTP_X_RETURN_TO", "/")
    if VULNERABLE or (dest.startswith("/") and not dest.startswith("//") and "\\" not in dest):
        return HttpResponseRedirect(dest)
    return HttpResponseRedirect("/")


def doc(request, name):
    lang = request.GET.get("lang", "readme.txt")
    full = os.path.join(FILES, lang)
    if not VULNERABLE and not os.path.realpath(full).startswith(str(FILES) + os.sep):
        return HttpResponse("no", status=404)
    try:
        with open(full) as fh:
            return HttpResponse(fh.read(), content_type="text/plain")
    except OSError:
        return HttpResponse("not found", status=404)


@csrf_exempt
def preview(request):
    data = json.loads(request.body or b"{}")
    if not VULNERABLE:
        return JsonResponse({"error": "disabled"}, status=400)
    try:
        with urllib.request.urlopen(data["link"], timeout=3) as resp:  # noqa: S310
            return JsonResponse({"status": resp.status})
    except Exception:
        return JsonResponse({"status": "failed"})
