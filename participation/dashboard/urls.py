"""URLs of the personal dashboard."""

from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.index, name="index"),
    path("notifications/read/", views.mark_all_read, name="mark_all_read"),
    path("notifications/<int:pk>/", views.open_notification, name="notification"),
]
