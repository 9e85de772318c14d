"""The SMS gateways: Kavenegar's verify/lookup against a fake Kavenegar on 127.0.0.1.

The fake server is a real HTTP server in a thread: it records what it was sent and
answers as told (success, Kavenegar's error JSON, 5xx, HTML, a slow answer, none in
time). The last tests run the sign-in pages against it: a gateway failure gets a clear
Persian message on the code page and "send again" works once the gateway is back.
"""

import io
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from django.contrib.auth import get_user, get_user_model
from django.urls import reverse

from participation.people import sms
from site.settings import environment

User = get_user_model()
API_KEY = "7A2B-secret-api-key"
TEMPLATE = "hadaf-code"
NUMBER = "+989123456789"


class FakeKavenegar(ThreadingHTTPServer):
    """Answers each POST with ``self.answer`` (status, body, delay in seconds)."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), KavenegarHandler)
        self.requests = []
        self.answer = ok_answer()
        self.release = threading.Event()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


class KavenegarHandler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - http.server's name
        length = int(self.headers.get("Content-Length", 0))
        form = parse_qs(self.rfile.read(length).decode())
        self.server.requests.append({"path": self.path, "form": form})
        status, body, delay = self.server.answer
        if delay:
            self.server.release.wait(delay)
        payload = body if isinstance(body, bytes) else json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting

    def log_message(self, *args):
        pass


def ok_answer(delay=0):
    entries = [{"messageid": 8792343, "status": 5, "statustext": "ارسال به مخابرات"}]
    return (200, {"return": {"status": 200, "message": "تایید شد"}, "entries": entries}, delay)


def error_answer(status, message="خطا"):
    return (status, {"return": {"status": status, "message": message}, "entries": None}, 0)


@pytest.fixture
def fake_kavenegar():
    server = FakeKavenegar()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


def kavenegar(server, timeout=2.0):
    return sms.KavenegarBackend(api_key=API_KEY, template=TEMPLATE, url=server.url, timeout=timeout)


def message(code="493817"):
    return sms.CodeMessage(phone=NUMBER, code=code, text=sms.code_text(code))


# The backend ---------------------------------------------------------------------------


def test_kavenegar_gets_its_documented_request(fake_kavenegar):
    kavenegar(fake_kavenegar).send_code(message())
    [request] = fake_kavenegar.requests
    assert request["path"] == f"/v1/{API_KEY}/verify/lookup.json"
    assert request["form"] == {
        "receptor": ["09123456789"],
        "token": ["493817"],
        "template": [TEMPLATE],
    }


def test_a_slow_answer_within_the_timeout_is_a_success(fake_kavenegar):
    fake_kavenegar.answer = ok_answer(delay=0.3)
    kavenegar(fake_kavenegar, timeout=5).send_code(message())
    assert len(fake_kavenegar.requests) == 1


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (error_answer(418, "اعتبار حساب شما کافی نیست"), "status 418"),  # no credit
        (error_answer(424, "الگوی مورد نظر یافت نشد"), "status 424"),  # no such template
        (error_answer(403, "کد شناسائی API-Key معتبر نمی‌باشد"), "status 403"),
        ((200, {"return": {"status": 411, "message": "گیرنده نامعتبر"}}, 0), "status 411"),
        ((502, b"<html>Bad gateway</html>", 0), "HTTP 502"),
        ((500, error_answer(500)[1], 0), "status 500"),
        ((200, b"not json", 0), "without JSON"),
        ((200, {"unexpected": True}, 0), "without JSON"),
    ],
)
def test_refusals_and_errors_are_sms_errors(fake_kavenegar, answer, reason):
    fake_kavenegar.answer = answer
    with pytest.raises(sms.SmsError) as caught:
        kavenegar(fake_kavenegar).send_code(message())
    assert reason in caught.value.reason
    assert API_KEY not in caught.value.reason and "493817" not in caught.value.reason


def test_no_answer_in_time_is_an_sms_error(fake_kavenegar):
    fake_kavenegar.answer = ok_answer(delay=10)
    with pytest.raises(sms.SmsError) as caught:
        kavenegar(fake_kavenegar, timeout=0.3).send_code(message())
    assert "in time" in caught.value.reason


def test_an_unreachable_gateway_is_an_sms_error_without_the_key():
    server = FakeKavenegar()
    url = server.url
    server.server_close()  # nothing listens there any more
    backend = sms.KavenegarBackend(api_key=API_KEY, template=TEMPLATE, url=url, timeout=1)
    with pytest.raises(sms.SmsError) as caught:
        backend.send_code(message())
    assert API_KEY not in str(caught.value) and "unreachable" in caught.value.reason


def test_kavenegar_without_its_settings_refuses_to_send():
    with pytest.raises(sms.SmsError):
        sms.KavenegarBackend(api_key="", template="").send_code(message())


def test_the_console_backend_writes_the_message():
    stream = io.StringIO()
    sms.ConsoleBackend(stream=stream).send_code(message())
    assert NUMBER in stream.getvalue() and "#493817" in stream.getvalue()


def test_the_message_is_persian_with_the_site_name_and_the_webotp_line_last(settings):
    settings.WAGTAILADMIN_BASE_URL = "https://hadaf.msrt.ir"
    lines = sms.code_text("493817").splitlines()
    assert lines[0] == "کد شما در هدف: 493817"
    assert lines[-1] == "@hadaf.msrt.ir #493817"


def test_the_gateway_is_chosen_by_the_environment(monkeypatch):
    monkeypatch.delenv("SMS_BACKEND", raising=False)
    assert environment.sms()["BACKEND"] == "participation.people.sms.ConsoleBackend"
    monkeypatch.setenv("SMS_BACKEND", "kavenegar")
    monkeypatch.setenv("KAVENEGAR_API_KEY", API_KEY)
    monkeypatch.setenv("KAVENEGAR_TEMPLATE", TEMPLATE)
    monkeypatch.setenv("SMS_TIMEOUT", "3.5")
    config = environment.sms()
    assert config["BACKEND"] == "participation.people.sms.KavenegarBackend"
    assert config["OPTIONS"] == {
        "api_key": API_KEY,
        "template": TEMPLATE,
        "url": "",
        "timeout": 3.5,
    }


# The pages, when the gateway fails --------------------------------------------------------


@pytest.fixture
def kavenegar_site(settings, fake_kavenegar):
    settings.HADAF_SMS = {
        "BACKEND": "participation.people.sms.KavenegarBackend",
        "OPTIONS": {
            "api_key": API_KEY,
            "template": TEMPLATE,
            "url": fake_kavenegar.url,
            "timeout": 0.5,
        },
    }
    return fake_kavenegar


def page_text(response):
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("failure", ["error", "timeout", "5xx"])
def test_a_gateway_failure_is_explained_and_send_again_retries(client, kavenegar_site, failure):
    from django.utils import timezone

    person = User.objects.create_user(email=None, phone=NUMBER, phone_verified_at=timezone.now())
    kavenegar_site.answer = {
        "error": error_answer(418),
        "timeout": ok_answer(delay=5),
        "5xx": (503, b"Service Unavailable", 0),
    }[failure]

    response = client.post(reverse("account_request_login_code"), {"phone": "09123456789"})
    assert response.status_code == 302
    page = page_text(client.get(response["Location"]))
    assert "نتوانستیم پیامک را بفرستیم" in page
    assert "کد ورود به" not in page  # no "code sent" when it was not
    assert "دوباره فرستادن کد" in page
    assert len(kavenegar_site.requests) == 1

    # The gateway is back: "send again" sends a new code, and it signs the person in.
    kavenegar_site.release.set()
    kavenegar_site.answer = ok_answer()
    response = client.post(reverse("account_confirm_login_code"), {"action": "resend"})
    assert response.status_code == 302
    assert "نتوانستیم" not in page_text(client.get(reverse("account_confirm_login_code")))
    code = kavenegar_site.requests[-1]["form"]["token"][0]
    response = client.post(
        reverse("account_confirm_login_code"), {"action": "verify", "code": code}
    )
    assert response.status_code == 302 and get_user(client) == person


@pytest.mark.django_db
def test_a_phone_sign_up_survives_a_gateway_failure(client, kavenegar_site):
    kavenegar_site.answer = error_answer(500)
    response = client.post(
        reverse("account_signup_phone"),
        {"first_name": "علی", "last_name": "موسوی", "phone": "09123456789", "role": "student"},
    )
    assert response.status_code == 302
    page = page_text(client.get(reverse("account_verify_phone")))
    assert "نتوانستیم پیامک را بفرستیم" in page
    kavenegar_site.answer = ok_answer()
    client.post(reverse("account_verify_phone"), {"action": "resend"})
    code = kavenegar_site.requests[-1]["form"]["token"][0]
    client.post(reverse("account_verify_phone"), {"action": "verify", "code": code})
    person = get_user(client)
    assert person.is_authenticated and person.phone == NUMBER and person.is_phone_verified
