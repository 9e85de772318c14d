"""Call pages by their kind, for the participation code, which does not import ``pages``.

The call page classes (survey, regulation draft, idea call) are declared in
``pages.models``, the layer above participation (issue 18: ``site`` → ``pages`` →
participation features → this kernel). Participation code that needs one — to query
every draft, to connect a signal to a draft's publication, to tell whether an admin
page is an idea call — names the :class:`~participation.choices.CallKind` and asks
here: each call page class states its kind in ``call_kind`` (``CallPageMixin``), and
Wagtail knows every page class.
"""

import functools

from wagtail.models import Page, get_page_models

from .choices import CallKind


@functools.cache
def call_page_model(kind: CallKind) -> type[Page]:
    """The page class of the calls of ``kind`` (a :class:`~participation.choices.CallKind`).

    Ask once the app registry is ready (in a function, a view, ``AppConfig.ready``), not
    while modules are imported: the page classes may not be declared yet.

    Raises:
        LookupError: no page class declares ``kind``.
    """
    for model in get_page_models():
        if getattr(model, "call_kind", None) == kind:
            return model
    raise LookupError(f"No page class declares call_kind = {kind!r}.")


def is_call_of_kind(page: Page, kind: CallKind) -> bool:
    """Whether ``page`` (a plain or specific page) is a call of ``kind``."""
    specific_class = page.specific_class
    return specific_class is not None and getattr(specific_class, "call_kind", None) == kind
