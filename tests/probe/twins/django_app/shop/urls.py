from django.urls import path, re_path

from . import views

urlpatterns = [
    path("item", views.item),
    path("banner", views.banner),
    path("convert", views.convert),
    path("leave", views.leave),
    re_path(r"^doc/(?P<name>[\w.]+)$", views.doc),
    path("preview", views.preview),
]
