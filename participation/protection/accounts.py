"""The guard on allauth's forms (sign-up, sign-in, password reset).

allauth's views give no place to act before a form is handled, but its forms are ours
(``ACCOUNT_FORMS``), its middleware keeps the request at hand, and it sends the response
of an ``ImmediateHttpResponse`` raised anywhere in the view: so the guard runs as the
form is checked, before allauth signs anyone in or sends any email.
"""

from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse

from .guard import guard


class GuardedFormMixin:
    """Runs :func:`guard` for ``guard_scope`` when the form is checked."""

    guard_scope = None

    def clean(self):
        request = context.request  # None for a form checked outside a request
        refusal = guard(request, self.guard_scope) if request is not None else None
        if refusal is not None:
            raise ImmediateHttpResponse(refusal)
        return super().clean()
