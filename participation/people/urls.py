"""Account URLs of our own, under /accounts/ beside allauth's (site/urls.py).

``confirm-email/<key>/`` has allauth's path and name on purpose: ours is found first and
wraps allauth's view, and ``reverse("account_confirm_email")`` gives the same URL.
"""

from django.urls import path, re_path

from . import views

urlpatterns = [
    path("profile/", views.profile, name="account_profile"),
    path("signup/phone/", views.phone_signup, name="account_signup_phone"),
    path("login/code/restart/", views.restart_code, name="account_restart_code"),
    re_path(
        r"^confirm-email/(?P<key>[-:\w]+)/$", views.confirm_email, name="account_confirm_email"
    ),
]
