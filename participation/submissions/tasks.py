"""Background work of submissions, through the task framework (django-tasks)."""

from django_tasks import task


@task()
def mix_anonymous(call_key, closing=False):
    """Run the mixing step of ``call_key`` (see ``participation.submissions.mixing``)."""
    from .mixing import mix

    return mix(call_key, closing=closing)
