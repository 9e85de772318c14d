"""URLs of privacy: /privacy/ (download my data), its links, and account erasure."""

from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.index, name="index"),
    path("export/<str:token>/", views.download, name="download"),
    path("erase/", views.erase, name="erase"),
    path("erased/", views.erased, name="erased"),
]
