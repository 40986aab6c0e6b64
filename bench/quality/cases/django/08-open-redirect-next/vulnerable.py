from django.contrib.auth import authenticate, login
from django.shortcuts import redirect, render


def login_view(request):
    if request.method == "POST":
        user = authenticate(request, username=request.POST["username"], password=request.POST["password"])
        if user is not None:
            login(request, user)
            next_url = request.POST.get("next") or request.GET.get("next") or "/"
            return redirect(next_url)
        return render(request, "accounts/login.html", {"error": "Invalid username or password"})
    return render(request, "accounts/login.html", {"next": request.GET.get("next", "")})
