"""``unread_notification_count`` for the header, counted only when a template reads it."""

from functools import cache


def unread_notifications(request):
    # Templates call callables when they read them: no query on pages that never ask.
    @cache
    def unread_notification_count():
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        from .notifications import unread_count

        return unread_count(user)

    return {"unread_notification_count": unread_notification_count}
