"""How comment authors appear in public: by name, or by a stable pseudonym.

A pseudonym is the same for one person throughout one draft (so a discussion can be
followed) but differs between drafts and reveals nothing about the account.
"""

import hashlib
import hmac

from django.conf import settings
from django.utils.translation import gettext as _

from participation.choices import AnonymityMode, Role
from participation.persian import localize_digits


def pseudonym(call_key, author_id):
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{call_key}:{author_id}".encode(), hashlib.sha256
    ).hexdigest()
    number = 1000 + int(digest[:8], 16) % 9000
    return _("Participant %(number)s") % {"number": localize_digits(number)}


def display_name(page, comment):
    if comment.author_id is None:
        return _("A former participant")
    if page.anonymity == AnonymityMode.NAMED and comment.author is not None:
        if not comment.author.is_active and not comment.author.get_full_name():
            return _("Deleted account")  # erased: see participation.privacy
        return comment.author.get_full_name() or _("A participant")
    return pseudonym(page.call_key, comment.author_id)


def display_names(page, comments):
    """{comment pk: public name} (comments need ``author`` selected for named drafts)."""
    return {comment.pk: display_name(page, comment) for comment in comments}


def role_label(comment):
    return str(Role(comment.author_role).label) if comment.author_role in Role.values else ""
