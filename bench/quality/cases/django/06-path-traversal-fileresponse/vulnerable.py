import os

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404


@login_required
def download_invoice(request):
    rel_path = request.GET.get("path", "")
    full_path = os.path.join(settings.MEDIA_ROOT, "invoices", rel_path)
    if not os.path.isfile(full_path):
        raise Http404("Invoice not found")
    return FileResponse(open(full_path, "rb"), content_type="application/pdf")
