"""The abuse challenge page, read as a person would (and answered as only the server could)."""

import html
import re

from django.core import signing

from participation.protection import challenge

_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def is_challenge(response):
    return 'name="challenge_answer"' in response.content.decode()


def hidden_fields(response):
    """The hidden (name, value) pairs of the challenge or 429 page: the kept answers."""
    return [
        (name, html.unescape(value))
        for name, value in _HIDDEN.findall(response.content.decode())
        if name != "csrfmiddlewaretoken"
    ]


def right_answer(response):
    """The answer the challenge wants, found as only the server can: by trying each number
    against the keyed hash in its token (the page itself tells a script nothing)."""
    return answer_of_token(dict(hidden_fields(response))[challenge.TOKEN_FIELD])


def answer_of_token(token):
    payload = signing.loads(token, salt=challenge.TOKEN_SALT)
    return next(n for n in range(-20, 100) if challenge._digest(payload["n"], n) == payload["d"])


def answer(browser, response, url, value):
    """Send the challenge page's form back with ``value`` as the answer."""
    data = {}
    for name, field_value in hidden_fields(response):
        data.setdefault(name, []).append(field_value)
    data[challenge.ANSWER_FIELD] = [str(value)]
    return browser.post(url, data)
