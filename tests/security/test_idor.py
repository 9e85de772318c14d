"""Changing ids in URLs never reaches someone else's object; every attempt is logged.

Participant A owns a survey response, an idea with an attachment and a juror's review, a
pending clause comment, an organization, a certificate, a notification and a data export.
Participant B (on the public side) and editor Y (in the admin, who may edit only another
survey, through a Wagtail page permission) ask for each of them by id: the public side
answers 404, the admin 403 (or Wagtail's redirect to the dashboard) or 404 for an id that
belongs to another call, and each refusal is a warning on the ``hadaf.security`` logger.

``test_every_id_bearing_url_is_in_the_table`` walks the URL resolver (and the call pages'
sub-routes) and fails when an URL with an id in it is neither in ``CASES`` nor in
``PUBLIC_BY_DESIGN`` with its reason.
"""

import datetime
import logging
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission

from pages.models import FestivalPage, IdeaCallPage, RegulationDraftPage, SurveyCampaignPage
from participation.dashboard.models import Notification
from participation.drafts.choices import ModerationMode
from participation.ideas.choices import IdeaStatus
from participation.ideas.models import IdeaAttachment, JuryMember, ReviewAssignment
from participation.impact.models import Commitment
from participation.impact.services import create_commitment
from participation.incentives import services as incentives
from participation.measurement.models import PopulationFrame
from participation.opinions.models import Statement
from participation.organizations.models import OrganizationInvitation
from participation.partners.keys import issue_key
from participation.partners.models import PartnerKey, PartnerSite
from participation.people.models import Organization, OrganizationMembership
from participation.privacy.models import DataExport
from participation.privacy.services import hash_token
from tests.helpers.reports import make_survey, respond
from tests.pages.factories import CallIndexPageFactory
from tests.participation.drafts.factories import add_draft, comment_on
from tests.participation.ideas.factories import add_idea_call, submitted_idea
from tests.people.factories import EditorFactory, UserFactory

pytestmark = pytest.mark.django_db

PROJECT_PACKAGES = {"participation", "pages", "site"}
EXPORT_TOKEN = "a-token-only-participant-a-received-by-email"


# The world ------------------------------------------------------------------------------------


@pytest.fixture
def world(home_page):
    calls = CallIndexPageFactory(parent=home_page, slug="calls")
    survey = make_survey(calls, slug="survey")
    other_survey = make_survey(calls, slug="other-survey")
    idea_call = add_idea_call(calls, slug="ideas")
    draft = add_draft(calls, slug="bylaw", moderation=ModerationMode.PRE)

    a = UserFactory(role="faculty", first_name="مریم", last_name="احمدی", email="a@ut.ac.ir")
    b = UserFactory(role="student", email="b@ut.ac.ir")
    juror = UserFactory(role="faculty", email="juror@ut.ac.ir")

    # Editor Y may edit the other survey only (a Wagtail page permission on its subtree).
    group = Group.objects.create(name="Other survey editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for permission_type in ("add", "change", "publish"):
        GroupPagePermission.objects.create(
            group=group, page=other_survey, permission_type=permission_type
        )
    editor_y = UserFactory(role="", is_staff=True, email="y@ministry.test")
    editor_y.groups.add(group)

    response = respond(survey)
    idea = submitted_idea(idea_call, a)
    attachment = IdeaAttachment.objects.create(
        idea=idea,
        file="ideas/secret.pdf",
        original_name="نام-نویسنده.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        uploaded_by=a,
    )
    member = JuryMember.objects.create(call_key=idea_call.call_key, person=juror)
    review = ReviewAssignment.objects.create(idea=idea, reviewer=juror)
    comment = comment_on(draft, a, body="نظر در انتظار بررسی")

    organization = Organization.objects.create(name="کانون فیلم", kind="student_association")
    own = OrganizationMembership.objects.create(
        organization=organization, person=a, is_representative=True
    )
    other_member = OrganizationMembership.objects.create(
        organization=organization, person=UserFactory(email="m@ut.ac.ir")
    )
    invitation = OrganizationInvitation.objects.create(
        organization=organization, email="n@ut.ac.ir", invited_by=a
    )
    award, _created = incentives.record_award(
        a, "certificate", reason="کارگاه روایت", source="test:idor"
    )
    certificate = incentives.issue_certificate(award)
    notification = Notification.objects.create(person=a, kind="award", title="جایزه")
    DataExport.objects.create(
        person=a,
        token_hash=hash_token(EXPORT_TOKEN),
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    frame = PopulationFrame.objects.create(name="دانشجویان")
    partner_site = PartnerSite.objects.create(name="دانشگاه نمونه")
    partner_key = PartnerKey(site=partner_site, name="کلید آزمون")
    issue_key(partner_key)
    commitment = Commitment(call=survey, title="گزارش عمومی", responsible_unit="دفتر تشکل‌ها")
    create_commitment(EditorFactory(), commitment)
    return {
        "commitment": commitment,
        "frame": frame,
        "site": partner_site,
        "key": partner_key,
        "survey": survey,
        "other_survey": other_survey,
        "idea_call": idea_call,
        "draft": draft,
        "b": b,
        "editor_y": editor_y,
        "response": response,
        "idea": idea,
        "attachment": attachment,
        "member": member,
        "review": review,
        "comment": comment,
        "organization": organization,
        "own_membership": own,
        "other_member": other_member,
        "invitation": invitation,
        "certificate": certificate,
        "notification": notification,
        "a": a,
        "statement": Statement.objects.create(
            call_key=survey.call_key,
            text="گزارهٔ یک شرکت‌کننده",
            author=a,
            moderation_state="pending",
        ),
    }


# The table ----------------------------------------------------------------------------------


@dataclass
class Case:
    """Who asks (``b`` or ``editor_y``), how, and the URL of A's object."""

    who: str
    method: str
    url: object  # world -> URL
    data: dict = None
    logged: bool = True


def admin(url, method="get", data=None):
    return Case("editor_y", method, url, data)


def public(url, method="get", data=None):
    return Case("b", method, url, data)


def model_admin(url, method="get", data=None):
    """Wagtail's model viewsets: refused by Wagtail's model permission policy, not logged."""
    return Case("editor_y", method, url, data, logged=False)


def on_survey(name, *extra):
    return lambda w: reverse(f"hadaf_survey_report:{name}", args=[w["survey"].pk, *extra])


def on_map(name, *extra):
    return lambda w: reverse(f"hadaf_opinion_map:{name}", args=[w["survey"].pk, *extra])


def on_ideas(name, extra=lambda w: []):
    return lambda w: reverse(f"hadaf_ideas:{name}", args=[w["idea_call"].pk, *extra(w)])


def on_draft(name):
    return lambda w: reverse(f"hadaf_drafts:{name}", args=[w["draft"].pk])


def on_organization(namespace, name, extra=lambda w: []):
    return lambda w: reverse(f"{namespace}:{name}", args=[w["organization"].pk, *extra(w)])


def on_certificate(name):
    return lambda w: reverse(f"hadaf_incentives:{name}", args=[w["certificate"].pk])


CASES = {
    # Public side: B asks for A's things.
    "ideas:detail": public(lambda w: reverse("ideas:detail", args=[w["idea"].uuid])),
    "ideas:edit": public(lambda w: reverse("ideas:edit", args=[w["idea"].uuid])),
    "ideas:submit": public(lambda w: reverse("ideas:submit", args=[w["idea"].uuid]), "post"),
    "ideas:coauthors": public(
        lambda w: reverse("ideas:coauthors", args=[w["idea"].uuid]), "post", {"email": "c@ut.ac.ir"}
    ),
    "ideas:upload": public(lambda w: reverse("ideas:upload", args=[w["idea"].uuid]), "post"),
    "ideas:attachment": public(
        lambda w: reverse("ideas:attachment", args=[w["idea"].uuid, w["attachment"].pk])
    ),
    "ideas:delete_attachment": public(
        lambda w: reverse("ideas:delete_attachment", args=[w["idea"].uuid, w["attachment"].pk]),
        "post",
    ),
    "ideas:review": public(lambda w: reverse("ideas:review", args=[w["review"].pk])),
    "incentives:download": public(
        lambda w: reverse("incentives:download", args=[w["certificate"].code])
    ),
    "organizations:detail": public(on_organization("organizations", "detail")),
    "organizations:invite": public(
        on_organization("organizations", "invite"), "post", {"email": "x@ut.ac.ir"}
    ),
    "organizations:withdraw_invitation": public(
        on_organization("organizations", "withdraw_invitation", lambda w: [w["invitation"].pk]),
        "post",
    ),
    "organizations:remove_member": public(
        on_organization("organizations", "remove_member", lambda w: [w["other_member"].pk]),
        "post",
    ),
    "organizations:set_representative": public(
        on_organization("organizations", "set_representative", lambda w: [w["other_member"].pk]),
        "post",
    ),
    "dashboard:notification": public(
        lambda w: reverse("dashboard:notification", args=[w["notification"].pk])
    ),
    "privacy:download": public(lambda w: reverse("privacy:download", args=[EXPORT_TOKEN])),
    "RegulationDraftPage:comment_action": public(
        lambda w: (
            w["draft"].url
            + w["draft"].reverse_subpage("comment_action", args=[w["comment"].uuid, "vote"])
        ),
        "post",
        {"value": "1"},
    ),
    # Admin: editor Y, who may edit another survey only, asks for call X's screens.
    "hadaf_survey_report:report": admin(on_survey("report")),
    "hadaf_survey_report:submissions": admin(on_survey("submissions")),
    "hadaf_survey_report:set_counted": admin(
        lambda w: reverse(
            "hadaf_survey_report:set_counted", args=[w["survey"].pk, w["response"].uuid]
        ),
        "post",
        {"action": "exclude"},
    ),
    "hadaf_survey_report:export": admin(on_survey("export")),
    "hadaf_results_admin:republish": admin(
        lambda w: reverse("hadaf_results_admin:republish", args=[w["survey"].pk]), "post"
    ),
    "hadaf_measurement:report": admin(
        lambda w: reverse("hadaf_measurement:report", args=[w["survey"].pk]),
        "post",
        {"dimensions": ["role"], "trim_cap": "5"},
    ),
    # Population frames (no participant data) are for editors: Y, in no editorial group, is
    # refused every one.
    "hadaf_frames:frame": admin(lambda w: reverse("hadaf_frames:frame", args=[w["frame"].pk])),
    "hadaf_frames:version": admin(
        lambda w: reverse("hadaf_frames:version", args=[w["frame"].pk, 1])
    ),
    # Opinion maps and statement moderation of call X.
    "hadaf_opinion_map:map": admin(on_map("map")),
    "hadaf_opinion_map:recompute": admin(on_map("recompute"), "post"),
    "hadaf_opinion_map:publish": admin(on_map("publish"), "post"),
    "hadaf_opinion_map:unpublish": admin(on_map("unpublish"), "post"),
    "hadaf_opinion_map:export": admin(on_map("export", "csv")),
    "hadaf_opinions:moderate": admin(
        lambda w: reverse("hadaf_opinions:moderate", args=[w["statement"].uuid]),
        "post",
        {"action": "publish"},
    ),
    "hadaf_ideas:submissions": admin(on_ideas("submissions")),
    "hadaf_ideas:move": admin(on_ideas("move"), "post", {"ideas": "", "to": IdeaStatus.INELIGIBLE}),
    "hadaf_ideas:submission": admin(on_ideas("submission", lambda w: [w["idea"].uuid])),
    "hadaf_ideas:jury": admin(on_ideas("jury")),
    "hadaf_ideas:add_juror": admin(on_ideas("add_juror"), "post", {"email": "b@ut.ac.ir"}),
    "hadaf_ideas:remove_juror": admin(on_ideas("remove_juror", lambda w: [w["member"].pk]), "post"),
    "hadaf_ideas:assign": admin(on_ideas("assign"), "post"),
    "hadaf_ideas:ranking": admin(on_ideas("ranking")),
    "hadaf_ideas:export": admin(on_ideas("export")),
    "hadaf_drafts:moderate": admin(
        lambda w: reverse("hadaf_drafts:moderate", args=[w["comment"].uuid]),
        "post",
        {"action": "remove"},
    ),
    "hadaf_drafts:decisions": admin(on_draft("decisions")),
    "hadaf_drafts:new_round": admin(on_draft("new_round")),
    "hadaf_drafts:export": admin(on_draft("export")),
    "academic_verification:verify": admin(
        lambda w: reverse("academic_verification:verify", args=[w["a"].pk]), "post"
    ),
    "academic_verification:revoke": admin(
        lambda w: reverse("academic_verification:revoke", args=[w["a"].pk]), "post"
    ),
    "hadaf_organizations:detail": admin(on_organization("hadaf_organizations", "detail")),
    "hadaf_organizations:verify": admin(on_organization("hadaf_organizations", "verify"), "post"),
    "hadaf_organizations:withdraw": admin(
        on_organization("hadaf_organizations", "withdraw"), "post", {"reason": "آزمون"}
    ),
    "hadaf_incentives:certificate": admin(on_certificate("certificate")),
    "hadaf_incentives:certificate_revoke": admin(
        on_certificate("certificate_revoke"), "post", {"reason": "آزمون"}
    ),
    "hadaf_incentives:certificate_generate": admin(on_certificate("certificate_generate"), "post"),
    # Partner sites and keys (no participant data): Wagtail's model permissions guard them.
    "partner_sites:edit": model_admin(lambda w: reverse("partner_sites:edit", args=[w["site"].pk])),
    "partner_keys:revoke": model_admin(
        lambda w: reverse("partner_keys:revoke", args=[w["key"].pk]), "post"
    ),
    # Commitments (public once made): only editors with the model permission change them.
    "commitments:edit": model_admin(
        lambda w: reverse("commitments:edit", args=[w["commitment"].pk])
    ),
    "commitments:news": model_admin(
        lambda w: reverse("commitments:news", args=[w["commitment"].pk]),
        "post",
        {"text": "خبر", "date": "1405/01/01"},
    ),
}

# Id-bearing URLs that are public on purpose, or guarded by a secret rather than by who asks.
PUBLIC_BY_DESIGN = {
    "incentives:verify": "anyone holding a certificate's code may verify it (the QR target)",
    "ideas:invitation": "a co-author invitation: the unguessable emailed token is the key",
    "organizations:invitation": "a membership invitation: the unguessable emailed token is the key",
    "account_confirm_email": "allauth's email confirmation: the emailed key is the key",
    "RegulationDraftPage:clause": "a clause of a published draft, with its published comments",
    "FestivalPage:by_year": "the festival's published winners of a year",
    "untranslated": "the only-in-Persian notice of a live, public page (404 for any other)",
    "opinions:statements": "a live call's published statements (its page's view restrictions "
    "hold); the votes shown are the signed-in person's own",
    "opinions:vote": "the signed-in person's own vote on a live call's published statement",
    "opinions:add": "the signed-in person's own statement on a live call, moderated first",
    "opinions:map": "a call's opinion map once its editor published it (group figures only)",
    "impact:detail": "a commitment of a live call no view restriction hides (else 404): public "
    "by design, as «you said, we did» is",
    "impact:heard": "the signed-in person's own «did we hear you?» answer on a call: a call's "
    "key is public, and anyone who did not take part in it is refused "
    "(tests/participation/impact/test_heard.py)",
}


def is_covered_elsewhere(name, route):
    """The Wagtail API and the partner API: tests/security/test_api_privacy.py."""
    return route.startswith("api/")


# The tests ------------------------------------------------------------------------------------


def project_id_patterns():
    """{name: route} of every URL of this project (not Wagtail's own) with an id in it."""
    found = {}

    def walk(patterns, namespaces, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                spaces = namespaces + ([pattern.namespace] if pattern.namespace else [])
                walk(pattern.url_patterns, spaces, route)
                continue
            module = getattr(pattern.callback, "__module__", "") or ""
            if module.split(".")[0] in PROJECT_PACKAGES and pattern.pattern.regex.groups:
                name = pattern.name or pattern.callback.__name__
                found[":".join([*namespaces, name])] = route

    walk(get_resolver().url_patterns, [], "")
    for model in (SurveyCampaignPage, RegulationDraftPage, IdeaCallPage, FestivalPage):
        for pattern in model.get_subpage_urls():
            if pattern.pattern.regex.groups:
                found[f"{model.__name__}:{pattern.name}"] = str(pattern.pattern)
    return found


def test_every_id_bearing_url_is_in_the_table():
    patterns = project_id_patterns()
    uncovered = {
        name: route
        for name, route in patterns.items()
        if name not in CASES
        and name not in PUBLIC_BY_DESIGN
        and not is_covered_elsewhere(name, route)
    }
    assert uncovered == {}
    stale = set(CASES) - set(patterns)
    assert stale == set()


def refused(response, case):
    if case.who == "b":
        return response.status_code == 404
    if response.status_code in (403, 404):
        return True
    # Wagtail turns an admin 403 into a redirect to the dashboard with a message.
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


@pytest.mark.parametrize("name", sorted(CASES))
def test_someone_elses_object_is_refused_and_the_attempt_logged(world, caplog, name):
    case = CASES[name]
    client = Client()
    client.force_login(world[case.who])
    url = case.url(world)
    caplog.set_level(logging.WARNING, logger="hadaf.security")

    response = getattr(client, case.method)(url, case.data or {})

    assert refused(response, case), (response.status_code, response.get("Location"))
    if not case.logged:
        return
    logged = [record for record in caplog.records if record.name == "hadaf.security"]
    assert logged, f"no hadaf.security line for {url}"


def test_an_id_from_another_call_is_refused_in_a_call_the_editor_may_manage(world, caplog):
    """Editor Y's own survey in the URL, A's response (of survey X) as the id: 404, logged."""
    client = Client()
    client.force_login(world["editor_y"])
    url = reverse(
        "hadaf_survey_report:set_counted", args=[world["other_survey"].pk, world["response"].uuid]
    )
    caplog.set_level(logging.WARNING, logger="hadaf.security")
    assert client.get(reverse("hadaf_survey_report:report", args=[world["other_survey"].pk]))
    response = client.post(url, {"action": "exclude"})
    assert response.status_code == 404
    world["response"].refresh_from_db()
    assert not world["response"].excluded_from_results
    assert any(url in record.getMessage() for record in caplog.records)


def test_the_call_editor_still_reaches_everything(world, client):
    """The table's refusals are about who asks: the call's own editor gets through."""
    client.force_login(EditorFactory())
    for name in ("hadaf_survey_report:report", "hadaf_ideas:submission", "hadaf_drafts:decisions"):
        response = client.get(CASES[name].url(world))
        assert response.status_code == 200, name
