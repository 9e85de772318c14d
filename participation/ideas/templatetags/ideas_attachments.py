"""The attachments of a submission, as the person looking may see them.

``{% load ideas_attachments %}{% idea_attachments idea page as files %}`` then
``files.items`` (name, type label, size, download and delete URLs), ``files.remaining``,
``files.max_files``, ``files.max_mb``, ``files.accept``; ``{{ bytes|file_size }}`` writes
"۲٫۵ مگابایت".
"""

from dataclasses import dataclass

from django import template
from django.urls import reverse
from django.utils.translation import gettext

from participation.ideas import attachments
from participation.persian import format_number

register = template.Library()


@dataclass(frozen=True)
class AttachmentItem:
    attachment: object
    name: str
    label: str
    size: int
    url: str
    delete_url: str


@register.simple_tag(takes_context=True)
def idea_attachments(context, idea, page):
    """The idea's files with the names the viewer may see (neutral for blind jurors)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    hide = user is not None and attachments.hides_names(idea, user, page)
    items = []
    for position, attachment in enumerate(idea.attachments.all(), start=1):
        args = [idea.uuid, attachment.pk]
        items.append(
            AttachmentItem(
                attachment=attachment,
                name=attachments.display_name(attachment, position=position, hide=hide),
                label=attachments.extension_of(attachment).upper(),
                size=attachment.size,
                url=reverse("ideas:attachment", args=args),
                delete_url=reverse("ideas:delete_attachment", args=args),
            )
        )
    max_files = page.max_attachments if page else 0
    return {
        "items": items,
        "remaining": max(max_files - len(items), 0),
        "max_files": max_files,
        "max_mb": page.max_attachment_mb if page else 0,
        "accept": attachments.ACCEPT_ATTRIBUTE,
    }


@register.filter
def file_size(value):
    """A size in bytes for people: "۸۵۰ کیلوبایت", "۲٫۵ مگابایت" (digits of the language)."""
    if value in (None, ""):
        return ""
    size = int(value)
    if size >= attachments.MEGABYTE:
        amount, unit = size / attachments.MEGABYTE, gettext("%(size)s MB")
    else:
        amount, unit = max(size / 1024, 0.1), gettext("%(size)s KB")
    amount = round(amount, 1) if amount < 10 else round(amount)
    places = 0 if amount == int(amount) else 1
    return unit % {"size": format_number(amount, decimal_pos=places)}
