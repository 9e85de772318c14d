import factory
from django.contrib.auth import get_user_model

from participation.choices import Role

DEFAULT_PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    """A participant with a Persian name and a usable password (``DEFAULT_PASSWORD``)."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@university.test")
    first_name = factory.Faker("first_name", locale="fa_IR")
    last_name = factory.Faker("last_name", locale="fa_IR")
    role = Role.STUDENT
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class EditorFactory(UserFactory):
    """A ministry editor: staff, in Wagtail's Editors and Moderators groups."""

    role = ""
    is_staff = True

    @factory.post_generation
    def groups(obj, create, extracted, **kwargs):
        from django.contrib.auth.models import Group

        if create:
            obj.groups.add(*Group.objects.filter(name__in=["Editors", "Moderators"]))


def university_named(name):
    """The university called ``name`` (created once), or None for ""."""
    from participation.people.models import University

    if not name:
        return None
    return University.objects.get_or_create(name=name)[0]


class UniversityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "people.University"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"دانشگاه شمارهٔ {n}")
    email_domains = ""


def with_confirmed_email(user):
    """Give ``user`` a confirmed primary address, as allauth needs to let them sign in."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user
