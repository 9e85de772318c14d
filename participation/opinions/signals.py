"""Publishing a survey or a draft syncs its statements block to the seeded statements."""

from wagtail.signals import page_published

from participation.calls import call_page_model
from participation.choices import CallKind

from . import services


def sync_on_publish(sender, instance, revision=None, **kwargs):
    editor = getattr(revision, "user", None)
    services.sync_seeded_statements(instance, editor=editor)


def connect():
    for kind in (CallKind.SURVEY, CallKind.DRAFT):
        page_published.connect(
            sync_on_publish,
            sender=call_page_model(kind),
            dispatch_uid=f"hadaf_opinions_sync_{kind}",
        )
