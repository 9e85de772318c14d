"""The one refusal every participation service raises: ``Refused(message)``.

Views catch it and show ``message`` to the person; a feature subclasses it for a refusal
its callers answer differently (``AlreadyCommented``, ``NotRepresentative``).
"""

from django_stubs_ext import StrOrPromise


class Refused(Exception):
    """The action is not allowed; ``message`` says why, translated, for the person."""

    def __init__(self, message: StrOrPromise) -> None:
        super().__init__(str(message))
        self.message = message
