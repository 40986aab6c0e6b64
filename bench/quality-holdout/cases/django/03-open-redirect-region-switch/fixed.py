from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from .models import Region


class SwitchRegionView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        code = request.POST.get("region", "")
        if not Region.objects.filter(code=code, active=True).exists():
            return HttpResponseBadRequest("unknown region")

        profile = request.user.profile
        profile.region_code = code
        profile.save(update_fields=["region_code"])

        destination = request.POST.get("next") or request.GET.get("next") or "/"
        if not url_has_allowed_host_and_scheme(
            destination, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            destination = "/"
        return HttpResponseRedirect(destination)
