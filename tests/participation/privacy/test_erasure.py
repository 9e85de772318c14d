"""Account erasure: personal data goes, answers stay anonymous, no second response."""

import logging

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from participation.choices import AnonymityMode
from participation.drafts import identity
from participation.ideas.models import IdeaAuthor
from participation.people.models import Organization, OrganizationMembership
from participation.privacy import services
from participation.privacy.forms import CONFIRMATION_WORD
from participation.privacy.models import ErasedIdentity
from participation.submissions.models import Answer, AnswerTally, ParticipationReceipt, Submission
from tests.participation.drafts.factories import comment_on
from tests.participation.factories import SurveyCampaignPageFactory
from tests.participation.ideas.factories import draft_idea
from tests.people.factories import DEFAULT_PASSWORD, UserFactory, with_confirmed_email

from .conftest import answer_survey

pytestmark = pytest.mark.django_db

User = get_user_model()


def tallies(call_key):
    return sorted(
        AnswerTally.objects.filter(call_key=call_key).values_list(
            "segment", "question_id", "row_id", "choice_id", "value", "count"
        )
    )


def erase(client, password=DEFAULT_PASSWORD, word=CONFIRMATION_WORD):
    return client.post(reverse("privacy:erase"), {"password": password, "confirmation": word})


@pytest.fixture
def answered(client, survey, person):
    answer_survey(client, survey, person)
    return Submission.objects.get(participant=person)


def test_erasure_removes_personal_data_and_keeps_answers_and_results(
    client, survey, draft, idea_call, person, answered, django_capture_on_commit_callbacks, caplog
):
    comment = comment_on(draft, person, body="نظر من")
    idea = draft_idea(idea_call, person)
    organization = Organization.objects.create(name="کانون فیلم", kind="student_association")
    OrganizationMembership.objects.create(organization=organization, person=person)
    before = tallies(survey.call_key)
    answers_before = Answer.objects.filter(submission=answered).count()

    person.phone, person.phone_verified_at = "+989123456789", timezone.now()
    person.save()
    client.force_login(person)
    with (
        caplog.at_level(logging.INFO, logger="hadaf.privacy"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = erase(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:erased")

    person.refresh_from_db()
    assert person.first_name == person.last_name == person.faculty == ""
    assert person.phone is None and person.phone_verified_at is None
    assert person.email.startswith("erased-") and person.email.endswith("@erased.invalid")
    assert person.role == "" and person.university is None and person.academic_verified_at is None
    assert not person.is_active
    assert not person.has_usable_password()
    assert not EmailAddress.objects.filter(user=person).exists()
    assert not OrganizationMembership.objects.filter(person=person).exists()
    [author] = IdeaAuthor.objects.filter(idea=idea)
    assert author.email == person.email

    # Answers and their aggregate snapshots stay; results do not move.
    answered.refresh_from_db()
    assert answered.participant_id == person.pk
    assert answered.respondent_role == "faculty"
    assert answered.respondent_university == "دانشگاه تهران"
    assert Answer.objects.filter(submission=answered).count() == answers_before
    assert tallies(survey.call_key) == before

    # The comment stays, without a name.
    comment.refresh_from_db()
    assert comment.author_id == person.pk
    assert "مریم" not in identity.display_name(draft, comment)

    # The log names the account row, never the address; a confirmation went to the old address.
    assert "maryam.ahmadi" not in caplog.text
    assert any(str(person.pk) in record.getMessage() for record in caplog.records)
    [message] = mail.outbox
    assert message.to == ["maryam.ahmadi@ut.ac.ir"]
    assert "maryam.ahmadi" not in str(list(ErasedIdentity.objects.values_list("email_hash")))


def test_erasure_ends_sessions_and_the_account_cannot_sign_in(client, person):
    elsewhere = Client()
    elsewhere.force_login(person)
    assert elsewhere.get(reverse("privacy:index")).status_code == 200
    client.force_login(person)
    erase(client)
    assert "_auth_user_id" not in client.session
    # The other browser's session no longer signs anyone in.
    assert elsewhere.get(reverse("privacy:index")).status_code == 302
    assert not Client().login(email="maryam.ahmadi@ut.ac.ir", password=DEFAULT_PASSWORD)
    response = Client().post(
        reverse("account_login"), {"login": "maryam.ahmadi@ut.ac.ir", "password": DEFAULT_PASSWORD}
    )
    assert "_auth_user_id" not in response.wsgi_request.session


@pytest.mark.parametrize(
    ("password", "word"),
    [("wrong-password", CONFIRMATION_WORD), (DEFAULT_PASSWORD, "نه"), (DEFAULT_PASSWORD, "")],
)
def test_a_wrong_password_or_confirmation_changes_nothing(client, person, answered, password, word):
    client.force_login(person)
    response = erase(client, password=password, word=word)
    assert response.status_code == 400
    assert response.context["form"].errors
    person.refresh_from_db()
    assert person.email == "maryam.ahmadi@ut.ac.ir"
    assert person.first_name == "مریم"
    assert person.is_active and person.check_password(DEFAULT_PASSWORD)
    assert EmailAddress.objects.filter(user=person).exists()
    assert ErasedIdentity.objects.count() == 0
    assert mail.outbox == []
    assert client.get(reverse("privacy:index")).status_code == 200  # still signed in


def test_the_translated_word_confirms_too(client, person):
    from participation.privacy.forms import confirmation_word

    client.force_login(person)
    assert erase(client, word=f"  {confirmation_word()} ").status_code == 302


def test_staff_accounts_are_not_erased_here(client, person):
    person.is_staff = True
    person.save()
    client.force_login(person)
    response = erase(client)
    assert response.status_code == 400
    assert response.context["refusal"]
    person.refresh_from_db()
    assert person.is_active


@pytest.mark.parametrize(
    "email", ["maryam.ahmadi@ut.ac.ir", "Maryam.Ahmadi@UT.ac.ir", " MARYAM.AHMADI@ut.ac.ir "]
)
def test_signing_up_again_with_the_same_email_is_recognized(
    calls, client, survey, person, answered, email
):
    anonymous_page = SurveyCampaignPageFactory(
        parent=calls, slug="anonymous", anonymity=AnonymityMode.ANONYMOUS_VERIFIED
    )
    answer_survey(client, anonymous_page, person)
    untouched = SurveyCampaignPageFactory(parent=calls, slug="untouched")
    assert ParticipationReceipt.objects.filter(participant=person).count() == 1
    services.erase_account(person)

    again = UserFactory(email=email.strip().lower())
    assert again.pk != person.pk
    assert services.has_answered_before(again, survey.call_key)
    assert services.has_answered_before(again, anonymous_page.call_key)
    assert not services.has_answered_before(again, untouched.call_key)
    assert not services.has_answered_before(UserFactory(), survey.call_key)


def test_a_secondary_address_is_remembered_too(survey, client, person, answered):
    EmailAddress.objects.create(user=person, email="m.ahmadi@gmail.test", verified=True)
    services.erase_account(person)
    assert services.has_answered_before(UserFactory(email="m.ahmadi@gmail.test"), survey.call_key)


def test_erasing_twice_merges_the_calls(calls, client, survey, person, answered):
    services.erase_account(person)
    second = with_confirmed_email(UserFactory(email="maryam.ahmadi@ut.ac.ir"))
    other_survey = SurveyCampaignPageFactory(parent=calls, slug="second")
    answer_survey(client, other_survey, second)
    services.erase_account(second)
    third = UserFactory(email="maryam.ahmadi@ut.ac.ir")
    assert services.has_answered_before(third, survey.call_key)
    assert services.has_answered_before(third, other_survey.call_key)
    assert ErasedIdentity.objects.count() == 1


def test_the_survey_refuses_a_second_response_after_re_registering(
    client, survey, person, answered
):
    services.erase_account(person)
    again = with_confirmed_email(UserFactory(email="MARYAM.AHMADI@ut.ac.ir"))
    client.force_login(again)
    page = client.get(survey.url)
    assert not page.context.get("form")
    response = answer_survey(client, survey, again)
    assert response.status_code == 403
    assert not Submission.objects.filter(participant=again).exists()
    assert Submission.objects.filter(call_key=survey.call_key).count() == 1


def test_the_erase_page_explains_and_asks_for_the_password(client, person):
    client.force_login(person)
    response = client.get(reverse("privacy:erase"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'type="password"' in html and 'autocomplete="current-password"' in html
    assert 'dir="rtl"' in html
    assert Client().get(reverse("privacy:erase")).status_code == 302
