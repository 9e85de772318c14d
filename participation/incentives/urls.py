"""Certificates: the public verification page, the holder's PDF, the promotion report."""

from django.urls import path

from . import views

app_name = "incentives"

urlpatterns = [
    path("", views.lookup, name="lookup"),
    # Before <code>/: "promotion-report" is not a code, but the order makes that moot.
    path("promotion-report/", views.promotion_report, name="promotion_report"),
    path("<str:code>/", views.verify, name="verify"),
    path("<str:code>/pdf/", views.download, name="download"),
]
