"""Publishing a draft whose outcome is out tells the authors of decided comments."""

from wagtail.signals import page_published

from participation.calls import call_page_model
from participation.choices import CallKind

from . import services


def announce_on_publish(sender, instance, **kwargs):
    services.announce_decisions(instance)


def connect():
    page_published.connect(
        announce_on_publish,
        sender=call_page_model(CallKind.DRAFT),
        dispatch_uid="hadaf_drafts_announce",
    )
