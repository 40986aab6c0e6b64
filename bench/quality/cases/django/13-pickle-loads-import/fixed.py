import json

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest, JsonResponse
from django.views.decorators.http import require_POST

from .models import SavedSearch


@login_required
@require_POST
def import_saved_searches(request):
    upload = request.FILES.get("file")
    if upload is None:
        return HttpResponseBadRequest("no file")
    try:
        searches = json.loads(upload.read())
    except ValueError:
        return HttpResponseBadRequest("file must be JSON")
    if not isinstance(searches, list):
        return HttpResponseBadRequest("expected a list")
    created = 0
    for item in searches:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not isinstance(item.get("query"), str):
            return HttpResponseBadRequest("bad item")
        SavedSearch.objects.create(owner=request.user, name=item["name"], query=item["query"])
        created += 1
    return JsonResponse({"created": created})
