"""Background work of submissions, through the task framework (django-tasks)."""

from django_tasks import task

from .mixing import mix


@task()
def mix_anonymous(call_key, closing=False):
    """Run the mixing step of ``call_key`` (see ``participation.submissions.mixing``)."""
    return mix(call_key, closing=closing)
