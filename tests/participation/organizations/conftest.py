import pytest

from participation.choices import OrganizationKind
from participation.organizations import services
from tests.people.factories import EditorFactory, UniversityFactory, UserFactory


@pytest.fixture
def university(db):
    return UniversityFactory(name="دانشگاه تهران")


@pytest.fixture
def representative(db):
    return UserFactory(email="rep@ut.ac.ir")


@pytest.fixture
def editor(db):
    return EditorFactory(email="editor@ministry.test")


@pytest.fixture
def organization(representative, university):
    """An unverified student association registered by ``representative``."""
    return services.register(
        representative,
        name="انجمن علمی فیزیک",
        kind=OrganizationKind.STUDENT_ASSOCIATION,
        university=university,
        description="انجمن دانشجویی",
    )


@pytest.fixture
def member(organization):
    """A plain member of ``organization``."""
    from participation.people.models import OrganizationMembership

    person = UserFactory(email="member@ut.ac.ir")
    OrganizationMembership.objects.create(organization=organization, person=person)
    return person
