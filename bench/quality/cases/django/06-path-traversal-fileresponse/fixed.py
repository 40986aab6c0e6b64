import os

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.utils._os import safe_join


@login_required
def download_invoice(request):
    rel_path = request.GET.get("path", "")
    try:
        full_path = safe_join(os.path.join(settings.MEDIA_ROOT, "invoices"), rel_path)
    except SuspiciousFileOperation:
        raise Http404("Invoice not found")
    if not os.path.isfile(full_path):
        raise Http404("Invoice not found")
    return FileResponse(open(full_path, "rb"), content_type="application/pdf")
