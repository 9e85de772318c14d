"""Submissions live outside the page tree: /ideas/… (under /en/ for English)."""

from django.urls import path

from . import attachment_views, jury_views, views

app_name = "ideas"

urlpatterns = [
    path("mine/", views.my_ideas, name="mine"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("jury/", jury_views.my_reviews, name="jury"),
    path("jury/<int:assignment_id>/", jury_views.review, name="review"),
    path("<uuid:idea_uuid>/", views.idea_detail, name="detail"),
    path("<uuid:idea_uuid>/edit/", views.edit_idea, name="edit"),
    path("<uuid:idea_uuid>/submit/", views.submit_idea, name="submit"),
    path("<uuid:idea_uuid>/coauthors/", views.coauthors, name="coauthors"),
    path("<uuid:idea_uuid>/attachments/", attachment_views.upload, name="upload"),
    path(
        "<uuid:idea_uuid>/attachments/<int:attachment_id>/",
        attachment_views.download,
        name="attachment",
    ),
    path(
        "<uuid:idea_uuid>/attachments/<int:attachment_id>/delete/",
        attachment_views.delete,
        name="delete_attachment",
    ),
]
