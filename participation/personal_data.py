"""Personal data a feature app keeps, declared for the data export and the erasure.

The privacy app (``participation.privacy``) builds a person's export and erases an account;
a feature app that keeps data about a person registers, in its ``AppConfig.ready``, how
to export it and how to erase it. Privacy calls every registered provider, so neither
imports the other (the feature apps are independent, pyproject.toml). The providers
written before this interface are still reached by privacy directly (its ignored imports).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class PersonalDataProvider:
    """How one feature app exports and erases what it keeps about a person.

    Attributes:
        name: the export's file name for this data, e.g. ``"statements.json"``.
        description: what the file holds, for the export's README (translated, lazily).
        export: ``export(person)`` → JSON-ready data (dates may be ``datetime`` values: the
            export writes each as ISO and Jalali), or ``None`` to leave the file out.
        erase: ``erase(person)`` removes or detaches the person's data, inside the
            erasure's transaction; ``None`` when nothing needs erasing.
    """

    name: str
    description: StrOrPromise
    export: Callable[[Any], Any]
    erase: Callable[[Any], None] | None = None


_providers: dict[str, PersonalDataProvider] = {}


def register(provider: PersonalDataProvider) -> None:
    """Add ``provider`` (replacing one of the same name: ``ready()`` may run twice in tests)."""
    _providers[provider.name] = provider


def providers() -> list[PersonalDataProvider]:
    """Every registered provider, in the order they were registered."""
    return list(_providers.values())
