"""``feeds/commitments.atom``: every dated update of every public commitment, newest first.

Readers (and other university sites) follow the ministry's commitments as they move: one
entry per update — a commitment made, its status, progress or due date changed (with the
reason), or news. Ids are stable (name-based UUIDs of the update), dates are the update's
public date; entries are in the URL's language, texts as the editors wrote them.
"""

import datetime
import uuid

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from common.caching import short_lived
from participation.persian import format_date, localize_digits

from .choices import UpdateKind
from .models import Commitment, CommitmentUpdate

ENTRY_LIMIT = 50
FEED_NAMESPACE = uuid.UUID("0c5bde0a-93c1-5d64-9a1e-5f7f0e2d6b1a")


def public_updates(limit=ENTRY_LIMIT):
    return list(
        CommitmentUpdate.objects.filter(commitment__in=Commitment.objects.public().values("pk"))
        .select_related("commitment__university")
        .order_by("-date", "-pk")[:limit]
    )


def entry_title(update):
    title = update.commitment.title
    if update.kind == UpdateKind.CREATED:
        return _("New commitment: %(title)s") % {"title": title}
    if update.kind == UpdateKind.NOTE:
        return _("News of “%(title)s”") % {"title": title}
    if update.status_changed:
        return _("“%(title)s” is now: %(status)s") % {
            "title": title,
            "status": update.get_status_display(),
        }
    if update.delayed:
        return _("“%(title)s”: the due date moved to %(date)s") % {
            "title": title,
            "date": format_date(update.due_date),
        }
    return _("“%(title)s”: %(percent)s percent done") % {
        "title": title,
        "percent": localize_digits(update.progress),
    }


def entry_summary(update):
    commitment = update.commitment
    parts = [update.text] if update.text else []
    parts.append(
        _("Status: %(status)s, %(percent)s percent done.")
        % {"status": update.get_status_display(), "percent": localize_digits(update.progress)}
    )
    if commitment.unit_label:
        parts.append(_("Responsible: %(unit)s") % {"unit": commitment.unit_label})
    return " ".join(parts)


class CommitmentUpdatesFeed(Feed):
    """Atom: the updates of the commitments of live calls."""

    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        return short_lived(super().__call__(request, *args, **kwargs))

    def get_object(self, request, *args, **kwargs):
        # The request travels as the feed's object: one Feed instance serves every request.
        return request

    def title(self, obj):
        return _("Hadaf: you said, we did — commitments and their updates")

    def subtitle(self, obj):
        return _("What the ministry committed to after each call, and how each commitment stands.")

    def link(self, obj):
        return obj.build_absolute_uri(reverse("impact:index"))

    def feed_guid(self, obj):
        return obj.build_absolute_uri(obj.path)

    def author_name(self, obj):
        return _("Cultural and Social Deputy, Ministry of Science, Research and Technology")

    def items(self, obj):
        updates = public_updates()
        for update in updates:
            path = reverse("impact:detail", args=[update.commitment_id])
            update.feed_link = obj.build_absolute_uri(f"{path}#update-{update.pk}")
        return updates

    def item_title(self, item):
        return entry_title(item)

    def item_description(self, item):
        # Atom's summary is type="html": the text is escaped once more for the reader, or an
        # editor's "<img onerror=…>" would be live HTML there.
        return escape(entry_summary(item))

    def item_link(self, item):
        return item.feed_link

    def item_guid(self, item):
        return uuid.uuid5(FEED_NAMESPACE, f"commitment-update/{item.pk}").urn

    def item_guid_is_permalink(self, item):
        return False

    def item_pubdate(self, item):
        # The update's public date (at noon in the site's time zone), not when it was typed.
        return timezone.make_aware(datetime.datetime.combine(item.date, datetime.time(12)))

    def item_updateddate(self, item):
        return item.created_at

    def item_categories(self, item):
        return [str(item.get_status_display())]
