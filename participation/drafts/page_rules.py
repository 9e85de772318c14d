"""What a regulation draft page's settings and text must satisfy, for the page model."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from participation.choices import AnonymityMode

from . import outline


def check_page_settings(page):
    """Refuse settings a draft cannot honour.

    Clause comments stay linked to their author: the author is told the decision on
    the clause, and one stance per person per clause is enforced. So a draft can be
    named or pseudonymous (the name never public) but not anonymous-verified.
    """
    if page.anonymity == AnonymityMode.ANONYMOUS_VERIFIED:
        raise ValidationError(
            {
                "anonymity": _(
                    "Regulation drafts cannot be anonymous: authors are told the decision "
                    "on their clause. Choose “Pseudonymous” to keep names off the page."
                )
            }
        )


def searchable_clauses(page):
    """Every provision's title and text, for the search index."""
    return [
        " ".join(part for part in (provision.title, provision.text) if part)
        for provision in outline.outline_of(page.draft_text)
    ]
