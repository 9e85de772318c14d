"""Commitments in the Wagtail admin (see ``admin_views``)."""

from wagtail import hooks

from .admin_views import CommitmentViewSet


@hooks.register("register_admin_viewset")
def register_commitments():
    return CommitmentViewSet("commitments")
