"""Queue the effectiveness dashboard's recount after what it counts changes.

A survey submission, a clause comment or decision, an idea, a commitment (or its update)
and a "did we hear you?" answer, saved or deleted, queue :func:`.tasks.schedule_refresh`
after their transaction commits; it waits ``HADAF_EFFECTIVENESS_DELAY`` minutes and
coalesces a burst into one recount. The feature apps' models are looked up by label, so
this app imports none of them (the import layers keep feature apps apart).
"""

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from .tasks import schedule_refresh

# ``app_label.ModelName`` of everything the dashboard counts.
COUNTED = (
    "submissions.Submission",
    "drafts.ClauseComment",
    "drafts.ClauseDecision",
    "ideas.Idea",
    "impact.Commitment",
    "impact.CommitmentUpdate",
    "impact.HeardAnswer",
)


def counted_changed(sender, **kwargs):
    transaction.on_commit(schedule_refresh, robust=True)


def connect():
    for label in COUNTED:
        try:
            model = apps.get_model(label)
        except LookupError:  # an app that is not installed
            continue
        uid = f"effectiveness_refresh:{label}"
        post_save.connect(counted_changed, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(counted_changed, sender=model, dispatch_uid=f"{uid}:delete")
