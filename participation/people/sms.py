"""Text messages with one-time codes, through one interface over several gateways.

Like Django's email backends, the gateway is chosen by the settings (``HADAF_SMS``, read
from the environment in ``site/settings/environment.py``; docs/deploy.md):

- ``ConsoleBackend`` writes each message to standard output (development);
- ``LocmemBackend`` keeps them in :data:`outbox` (tests);
- ``KavenegarBackend`` sends through Kavenegar's template-based verify/lookup API, the
  usual way to send codes in Iran: the text is a template registered with Kavenegar,
  filled with the code.

A code is secret: it is never logged, here or by the gateways (the code goes in the
POST body, never in a URL), and a failure is reported as :class:`SmsError` with only
what went wrong, never the code or the API key (which is part of Kavenegar's URL).
"""

import logging
import sys
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from participation.mail import site_url
from participation.phones import national_digits

logger = logging.getLogger("hadaf.sms")

# Messages the locmem backend "sent", like django.core.mail.outbox.
outbox = []


class SmsError(Exception):
    """The gateway did not accept the message; ``reason`` says why, for the log."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class CodeMessage:
    """A one-time code for ``phone`` (E.164) and the full text that carries it."""

    phone: str
    code: str
    text: str


def masked(phone):
    """The number with its middle hidden, for logs: ``+98912***6789``."""
    return f"{phone[:6]}***{phone[-4:]}" if len(phone) > 10 else "***"


def webotp_host():
    """The host the WebOTP line names: the site's configured address, not the request's."""
    return urlsplit(site_url("/")).hostname or "localhost"


def code_text(code):
    """The message: Persian, with the site's name, and the WebOTP line last.

    Browsers fill the code in for the page on ``@host`` (``autocomplete="one-time-code"``
    and the WebOTP API) when the last line is ``@host #code``. The code is in Latin
    digits, which every phone's code detection reads.
    """
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            gettext("Your %(site)s code: %(code)s") % {"site": gettext("Hadaf"), "code": code},
            gettext("Do not give this code to anyone."),
            "",
            f"@{webotp_host()} #{code}",
        ]
    return "\n".join(lines)


class BaseBackend:
    """A gateway. Subclasses implement :meth:`send_code`; options come from the settings."""

    def __init__(self, **options):
        self.options = options

    def send_code(self, message):
        """Send ``message`` (a :class:`CodeMessage`) or raise :class:`SmsError`."""
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    """Writes messages to standard output (development; never to the log)."""

    def __init__(self, stream=None, **options):
        super().__init__(**options)
        self.stream = stream or sys.stdout

    def send_code(self, message):
        self.stream.write(f"SMS to {message.phone}:\n{message.text}\n{'-' * 40}\n")
        self.stream.flush()


class LocmemBackend(BaseBackend):
    """Keeps messages in :data:`outbox` (tests)."""

    def send_code(self, message):
        outbox.append(message)


class KavenegarBackend(BaseBackend):
    """Kavenegar's verify/lookup: ``POST {url}/v1/{api_key}/verify/lookup.json``.

    Form fields ``receptor`` (the number, ``09…``), ``token`` (the code) and ``template``
    (the template's name in Kavenegar's panel). The answer is JSON,
    ``{"return": {"status": 200, "message": …}, "entries": […]}``; any other status (in
    the body or the HTTP status line) is a refusal: 4xx for a bad key, number, template
    or credit, 5xx for Kavenegar's own trouble.
    """

    DEFAULT_URL = "https://api.kavenegar.com"

    def __init__(self, api_key="", template="", url="", timeout=5.0, **options):
        super().__init__(**options)
        self.api_key = api_key
        self.template = template
        self.url = (url or self.DEFAULT_URL).rstrip("/")
        self.timeout = float(timeout)

    def send_code(self, message):
        if not self.api_key or not self.template:
            raise SmsError("Kavenegar is not configured (KAVENEGAR_API_KEY, KAVENEGAR_TEMPLATE)")
        endpoint = f"{self.url}/v1/{self.api_key}/verify/lookup.json"
        data = {
            "receptor": national_digits(message.phone),
            "token": message.code,
            "template": self.template,
        }
        try:
            response = requests.post(
                endpoint, data=data, timeout=self.timeout, headers={"Accept": "application/json"}
            )
        except requests.Timeout:
            raise SmsError("Kavenegar did not answer in time") from None
        except requests.RequestException as error:
            # The exception's text holds the URL, and so the API key: only its kind.
            raise SmsError(f"Kavenegar unreachable ({type(error).__name__})") from None
        try:
            body = response.json()
            status = int(body["return"]["status"])
        except (ValueError, KeyError, TypeError):
            raise SmsError(f"Kavenegar answered HTTP {response.status_code} without JSON") from None
        if status != 200 or response.status_code != 200:
            raise SmsError(f"Kavenegar refused the message: status {status}")


def get_backend():
    """The configured gateway (``HADAF_SMS["BACKEND"]`` with its ``OPTIONS``)."""
    config = settings.HADAF_SMS
    return import_string(config["BACKEND"])(**config.get("OPTIONS", {}))


def send_code(phone, code):
    """Send ``code`` to ``phone`` (E.164) by the configured gateway.

    Raises:
        SmsError: the gateway did not take it (logged, without the code).
    """
    message = CodeMessage(phone=phone, code=code, text=code_text(code))
    try:
        get_backend().send_code(message)
    except SmsError as error:
        logger.warning("SMS to %s not sent: %s", masked(phone), error.reason)
        raise
    logger.info("SMS code sent to %s", masked(phone))
