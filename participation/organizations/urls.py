"""URLs of organizations: /organizations/… (under /en/ for English)."""

from django.urls import path

from . import views

app_name = "organizations"

urlpatterns = [
    path("", views.my_organizations, name="mine"),
    path("register/", views.register, name="register"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/invite/", views.invite, name="invite"),
    path(
        "<int:pk>/invitations/<int:invitation_id>/withdraw/",
        views.withdraw_invitation,
        name="withdraw_invitation",
    ),
    path(
        "<int:pk>/members/<int:membership_id>/remove/",
        views.remove_member,
        name="remove_member",
    ),
    path(
        "<int:pk>/members/<int:membership_id>/representative/",
        views.set_representative,
        name="set_representative",
    ),
]
