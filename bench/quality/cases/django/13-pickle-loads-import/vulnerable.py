import pickle

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
    searches = pickle.loads(upload.read())
    created = 0
    for item in searches:
        SavedSearch.objects.create(owner=request.user, name=item["name"], query=item["query"])
        created += 1
    return JsonResponse({"created": created})
