"""The ballot box's sealing (issue 16): what a waiting anonymous ballot gives away at rest."""

import uuid

import pytest

from participation.submissions import ballot_box
from participation.submissions.models import SealedBallot

CALL = uuid.uuid4()


def content(text):
    return {"answers": [{"question_id": "q", "text": text}], "edit_token_hash": "h"}


def test_a_ballot_opens_with_this_servers_key_and_for_its_call_only(settings):
    sealed = ballot_box.seal(CALL, content("سلام"))
    assert ballot_box.unseal(CALL, sealed) == content("سلام")
    with pytest.raises(ValueError):
        ballot_box.unseal(uuid.uuid4(), sealed)  # moved to another call
    settings.SECRET_KEY = "another server"  # noqa: S105
    with pytest.raises(ValueError):
        ballot_box.unseal(CALL, sealed)


def test_a_ballots_length_does_not_tell_how_long_its_answers_are():
    """Before padding, a ciphertext was as long as its answers: the waiting ballots' sizes,
    in arrival order, matched the answers of the submissions they became."""
    short = ballot_box.seal(CALL, content("آری"))
    long = ballot_box.seal(CALL, content("ب" * 5000))
    assert len(short) == len(long)
    assert short != ballot_box.seal(CALL, content("آری"))  # a fresh nonce every time


@pytest.mark.django_db
def test_after_a_key_rotation_waiting_ballots_still_open_and_are_found_by_their_secret(settings):
    ballot_box.put(CALL, "secret", content("پیش از چرخش"))
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "the new key"  # noqa: S105
    assert ballot_box.waiting_content(CALL, "secret") == content("پیش از چرخش")
    ballot_box.put(CALL, "secret", content("پس از چرخش"))  # an edit replaces it
    assert SealedBallot.objects.count() == 1
    assert ballot_box.waiting_content(CALL, "secret") == content("پس از چرخش")
    settings.SECRET_KEY_FALLBACKS = []
    assert ballot_box.waiting_content(CALL, "secret") == content("پس از چرخش")
