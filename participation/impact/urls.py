"""The public tracker of commitments (under the language prefix)."""

from django.urls import path

from . import views

app_name = "impact"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("heard/<uuid:call_key>/", views.heard, name="heard"),
    path("effectiveness/", views.effectiveness_summary, name="effectiveness"),
    path("effectiveness/figures.xlsx", views.effectiveness_xlsx, name="effectiveness_xlsx"),
]
