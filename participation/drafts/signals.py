"""Publishing a draft whose outcome is out tells the authors of decided comments; a stance
that changes (written, moderated, removed) tells the opinion map (``opinion_inputs``)."""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published

from participation import opinion_inputs
from participation.calls import call_page_model
from participation.choices import CallKind

from . import services
from .models import ClauseComment


def announce_on_publish(sender, instance, **kwargs):
    services.announce_decisions(instance)


def stance_changed(sender, instance, **kwargs):
    """A top-level comment with a stance was stored, moderated or deleted."""
    if instance.stance and instance.parent_id is None:
        opinion_inputs.changed(instance.call_key)


def connect():
    page_published.connect(
        announce_on_publish,
        sender=call_page_model(CallKind.DRAFT),
        dispatch_uid="hadaf_drafts_announce",
    )
    post_save.connect(stance_changed, sender=ClauseComment, dispatch_uid="hadaf_drafts_stance")
    post_delete.connect(
        stance_changed, sender=ClauseComment, dispatch_uid="hadaf_drafts_stance_deleted"
    )
