"""Results publication is a page publish, whichever screen or workflow did it."""

from django.db.models.signals import post_save

from .services import record_results_publication

PUBLICATION_ACTIONS = {"wagtail.publish", "wagtail.unpublish"}


def on_page_log_entry(sender, instance, created, **kwargs):
    if created and instance.action in PUBLICATION_ACTIONS:
        record_results_publication(instance)


def connect():
    from wagtail.models import PageLogEntry

    post_save.connect(on_page_log_entry, sender=PageLogEntry, dispatch_uid="hadaf_audit_results")
