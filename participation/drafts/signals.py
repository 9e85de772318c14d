"""Publishing a draft whose outcome is out tells the authors of decided comments."""

from wagtail.signals import page_published


def announce_on_publish(sender, instance, **kwargs):
    from . import services

    services.announce_decisions(instance)


def connect():
    from pages.models import RegulationDraftPage

    page_published.connect(
        announce_on_publish, sender=RegulationDraftPage, dispatch_uid="hadaf_drafts_announce"
    )
