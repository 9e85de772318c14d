"""docs/api_client.py against a live test server: it lists open calls and renders a form."""

import datetime
import importlib.util
import io
import subprocess
import sys

import pytest
from django.utils import timezone
from wagtail.models import Locale

from tests.helpers import PROJECT_ROOT, project_env
from tests.pages.factories import CallIndexPageFactory
from tests.participation.drafts.factories import add_draft
from tests.participation.factories import SurveyCampaignPageFactory

SCRIPT = PROJECT_ROOT / "docs/api_client.py"
DAY = datetime.timedelta(days=1)


def load_client():
    """Import the script by its path, as a reader who copied it would run it."""
    spec = importlib.util.spec_from_file_location("hadaf_api_client", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def api_client_module():
    return load_client()


@pytest.fixture
def seeded_calls(transactional_db, live_server, home_page):
    calls = CallIndexPageFactory(parent=home_page, slug="calls")
    survey = SurveyCampaignPageFactory(
        parent=calls, slug="culture-survey", title="نظرسنجی برنامه‌های فرهنگی دانشگاه"
    )
    closed = SurveyCampaignPageFactory(
        parent=calls,
        slug="closed-survey",
        title="نظرسنجی پایان‌یافته",
        opens_at=timezone.now() - 20 * DAY,
        closes_at=timezone.now() - 10 * DAY,
    )
    draft = add_draft(calls, slug="bylaw", title="پیش‌نویس آیین‌نامهٔ کانون‌ها")
    english = Locale.objects.get_or_create(language_code="en")[0]
    english_survey = survey.copy_for_translation(english, copy_parents=True)
    english_survey.title = "Survey of cultural programmes"
    english_survey.save_revision().publish()
    return {
        "url": live_server.url,
        "survey": survey,
        "closed": closed,
        "draft": draft,
        "english_survey": english_survey,
    }


def run(module, *args):
    out = io.StringIO()
    status = module.main(list(args), out=out)
    return status, out.getvalue()


def test_list_shows_the_open_calls_of_the_language(api_client_module, seeded_calls):
    status, text = run(api_client_module, "--base-url", seeded_calls["url"], "list")
    assert status == 0
    survey, draft = seeded_calls["survey"], seeded_calls["draft"]
    assert survey.title in text and f"{survey.pk}" in text
    assert draft.title in text
    assert seeded_calls["closed"].title not in text
    assert "Survey of cultural programmes" not in text
    assert "فراخوان‌های باز" in text
    assert "۱۴۰" in text  # The Jalali deadline, in Persian digits.

    status, text = run(
        api_client_module, "--base-url", seeded_calls["url"], "--locale", "en", "list"
    )
    assert status == 0
    assert "Survey of cultural programmes" in text
    assert survey.title not in text


def test_form_renders_the_questions_from_the_schema(api_client_module, seeded_calls):
    survey = seeded_calls["survey"]
    status, text = run(api_client_module, "--base-url", seeded_calls["url"], "form", str(survey.pk))
    assert status == 0
    assert text.startswith(survey.title)
    assert "به کدام برنامه‌ها علاقه دارید؟  (multiple_choice, الزامی)" in text
    assert "       - تئاتر" in text  # a choice
    assert "max_selected=2" in text and "min_selected=1" in text  # its limits
    assert "رشتهٔ تحصیلی شما چیست؟  (short_text, الزامی)" in text
    assert "max_length=50" in text
    assert "پردیس  (single_choice, اختیاری)" in text
    assert "مرحله 2: نظر شما" in text  # the second step's title


def test_form_of_a_draft_lists_its_clauses_and_stances(api_client_module, seeded_calls):
    draft = seeded_calls["draft"]
    status, text = run(api_client_module, "--base-url", seeded_calls["url"], "form", str(draft.pk))
    assert status == 0
    assert draft.title in text
    assert "بندهای قابل نظر" in text and "موضع‌ها" in text


def test_an_unknown_call_is_a_clear_error(api_client_module, seeded_calls, capsys):
    status, text = run(api_client_module, "--base-url", seeded_calls["url"], "form", "999999")
    assert status == 1
    assert text == ""
    assert "error: 404" in capsys.readouterr().err


def test_the_script_runs_on_its_own(seeded_calls):
    """A subprocess with no Django settings: the standard library is enough."""
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--base-url", seeded_calls["url"], "list"],
        env=project_env(PYTHONIOENCODING="utf-8"),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
        cwd="/",
    )
    assert result.returncode == 0, result.stderr
    assert seeded_calls["survey"].title in result.stdout
