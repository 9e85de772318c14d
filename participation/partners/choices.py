"""What a partner key may do, and what a participant lets a partner do for them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class KeyScope(models.TextChoices):
    """Scopes of a partner site's API key (what the site itself may call)."""

    READ = "read", _("Read calls and forms")
    RESPONSES_WRITE = "responses:write", _("Submit survey responses")
    COMMENTS_WRITE = "comments:write", _("Post clause comments")
    STATEMENTS_WRITE = "statements:write", _("Vote on and add statements")


class ParticipantScope(models.TextChoices):
    """OAuth 2 scopes a participant grants a partner site (shown on the consent page)."""

    RESPONSES = "responses", _("Submit your answers to surveys on your behalf")
    COMMENTS = "comments", _("Post your comments on draft regulations on your behalf")
    STATEMENTS = "statements", _("Vote on statements and add your own on your behalf")
