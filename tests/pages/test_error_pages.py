"""Error pages: friendly Persian, right status codes, no details leaked."""

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

from tests.helpers import PROJECT_ROOT


def test_missing_page_gets_a_persian_404(client, home_page):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="fa" dir="rtl">' in html
    assert "صفحه پیدا نشد" in html
    assert '<a class="button" href="/">' in html  # Home.
    assert 'href="/search/"' in html
    assert "Traceback" not in html


def test_english_404_stays_in_english(client, home_page):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert '<html lang="en" dir="ltr">' in response.content.decode()


@pytest.mark.django_db
def test_404_renders_without_a_site(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "صفحه پیدا نشد" in response.content.decode()


def test_server_error_page_is_persian_and_tells_nothing():
    request = RequestFactory().get("/calls/?secret=token")
    response = server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="fa" dir="rtl">' in html
    assert "خطایی پیش آمد" in html
    assert "secret" not in html and "Traceback" not in html and "calls" not in html


def test_server_error_page_needs_no_context_and_no_external_files():
    template = (PROJECT_ROOT / "templates/500.html").read_text(encoding="utf-8")
    assert "{%" not in template and "{{" not in template
    assert "<style>" in template
    assert "<link" not in template and "http" not in template
