"""After taking part, the page thanks the person; the invitation to take part is gone."""

import pytest

from participation.choices import Role
from tests.pages.factories import CallIndexPageFactory
from tests.participation.factories import SurveyCampaignPageFactory, valid_answers
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

HEADING = "در این نظرسنجی شرکت کنید"
INTRO = "پاسخ به پرسش‌ها حدود ده دقیقه زمان می‌برد."


def test_the_invitation_gives_way_to_the_thanks(client, home_page):
    page = SurveyCampaignPageFactory(
        parent=CallIndexPageFactory(parent=home_page),
        body=[("participation_form", {"heading": HEADING, "intro": INTRO})],
    )
    client.force_login(UserFactory(role=Role.STUDENT))
    before = client.get(page.url).content.decode()
    assert HEADING in before and INTRO in before

    data = {**valid_answers(), "_step": "1", "_action": "submit"}
    response = client.post(page.url, data)
    assert response.status_code == 302 and "thanks=1" in response["Location"]

    thanks = client.get(response["Location"]).content.decode()
    assert "survey-thanks" in thanks
    assert HEADING not in thanks and INTRO not in thanks
    # Coming back later: "already received", still no invitation.
    again = client.get(page.url).content.decode()
    assert HEADING not in again
