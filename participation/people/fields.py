"""Model fields of the people app."""

from django.db import models

from participation.emails import canonical_email


class CanonicalEmailField(models.CharField):
    """The canonical form of the model's ``email`` (:func:`emails.canonical_email`).

    Filled from ``email`` by ``pre_save``, which Django calls on ``save()`` and on
    ``bulk_create()`` alike, so no path that creates people can leave it stale. A unique
    index on it is what makes two spellings of one address one person.
    """

    def __init__(self, *args, source="email", **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 320)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.source != "email":
            kwargs["source"] = self.source
        if kwargs.get("max_length") == 320:
            del kwargs["max_length"]
        if kwargs.get("editable") is False:
            del kwargs["editable"]
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        address = getattr(model_instance, self.source)
        value = canonical_email(address) if address else None
        setattr(model_instance, self.attname, value)
        return value
