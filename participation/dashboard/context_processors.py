"""``unread_notification_count`` and ``is_juror`` for the header, read only when a template asks."""

from functools import cache

from participation.ideas.models import JuryMember

from .notifications import unread_count


def unread_notifications(request):
    # Templates call callables when they read them: no query on pages that never ask.
    @cache
    def unread_notification_count():
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0

        return unread_count(user)

    @cache
    def is_juror():
        """Whether the person sits on any call's jury (the header links to their reviews)."""
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False

        return JuryMember.objects.filter(person=user).exists()

    return {"unread_notification_count": unread_notification_count, "is_juror": is_juror}
