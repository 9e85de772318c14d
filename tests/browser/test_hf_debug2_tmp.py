import re
import pytest
from django.test import Client
from wagtail.test.utils.form_data import querydict_from_html
from tests.pages.factories import CallIndexPageFactory
from tests.people.factories import UserFactory

@pytest.mark.django_db
def test_debug(home_page):
    calls = CallIndexPageFactory(parent=home_page, slug="calls")
    client = Client()
    client.force_login(UserFactory(email="x@ministry.test", is_superuser=True, is_staff=True))
    url = f"/admin/pages/add/pages/surveycampaignpage/{calls.pk}/"
    html = client.get(url).content.decode()
    data = querydict_from_html(html, form_id="page-edit-form")
    data = data.copy()
    data["title"] = "پویش"
    for key in ["questions-count", "body-count"]:
        data.setdefault(key, "0")
    print({k: v for k, v in data.items()})
    response = client.post(url, data)
    out = response.content.decode()
    print(response.status_code)
    for m in re.finditer(r'error-message[^>]*>(.{0,300})', out):
        print("ERR", m.group(1))
    form = response.context["form"] if response.context else None
    if form is not None:
        print("FORMERR", form.errors.as_json()[:3000])
        for name, fs in form.formsets.items():
            print(name, fs.errors, fs.non_form_errors())
    assert False
