"""Every rate limit of the public forms, in one table, with why each number is what it is.

A scope is one kind of POST (a survey step, a clause comment, a sign-up…). Each rule of a
scope counts those POSTs per one key in a fixed window (django-ratelimit's counters, in the
shared cache) and is one of:

- ``account``: the signed-in person. Hard: over it, 429 with Retry-After, whatever the IP.
- ``browser``: the IP address *and* the browser (its CSRF cookie), for visitors not signed
  in. Hard. One abusive client on a campus NAT trips this long before the address does.
- ``ip``, soft: the address alone, set far above what a lecture hall does together. Over
  it, a client is asked the challenge (``challenge.py``) once; passing it lifts this
  limit for that browser for a while, so the rest of a campus behind the same NAT keeps
  going and nobody is blocked together.
- ``ip``, hard: a backstop an order of magnitude above the soft one, which no campus
  reaches; it stops a script that solves the challenge over and over.

Numbers assume a large university behind one NAT address (tens of thousands of people,
a lecture hall of a few hundred answering at once after a call is announced).
"""

from dataclasses import dataclass

from django.conf import settings

ACCOUNT = "account"
BROWSER = "browser"
IP = "ip"


@dataclass(frozen=True)
class Rule:
    key: str
    rate: str  # django-ratelimit's syntax: "10/m", "60/h", "20/10m"
    soft: bool = False


@dataclass(frozen=True)
class Scope:
    """One kind of POST: its rules, and which bot traps its form carries."""

    name: str
    rules: tuple
    # The form renders the honeypot and the signed render time (traps.BotTrapForm).
    honeypot: bool = False
    fill_time: bool = False
    # The POST is a form page that can show the challenge and replay its fields;
    # False for file uploads and JSON clients (their body must not be parsed here).
    form_page: bool = True


def _rules(*, account=(), browser=(), ip_soft=(), ip_hard=()):
    return (
        *(Rule(ACCOUNT, rate) for rate in account),
        *(Rule(BROWSER, rate) for rate in browser),
        *(Rule(IP, rate, soft=True) for rate in ip_soft),
        *(Rule(IP, rate) for rate in ip_hard),
    )


SCOPES = {
    # Every step of a survey is a POST (next, back, send): 30 a minute is a step every two
    # seconds, faster than anyone reads a question. 600 a minute from one address is a
    # lecture hall of 300 people on a three-step survey within two minutes.
    "survey": Scope(
        "survey",
        _rules(
            account=("30/m", "300/h"),
            ip_soft=("600/m", "10000/h"),
            ip_hard=("6000/m",),
        ),
        honeypot=True,
        fill_time=True,
    ),
    # A considered comment on a clause takes minutes; 5 a minute and 40 an hour leave room
    # for a person going through a bylaw article by article, not for a flood.
    "comment": Scope(
        "comment",
        _rules(account=("5/m", "40/h"), ip_soft=("100/m", "1000/h"), ip_hard=("1000/m",)),
        honeypot=True,
        fill_time=True,
    ),
    # Replies, support/oppose votes and reports on comments: quick clicks, so more of them.
    "comment_action": Scope(
        "comment_action",
        _rules(account=("30/m", "300/h"), ip_soft=("600/m", "10000/h"), ip_hard=("6000/m",)),
    ),
    # A participant's statement in an opinion conversation: one short sentence, written
    # with some thought; as many as a clause comment (participation/opinions).
    "statement": Scope(
        "statement",
        _rules(account=("5/m", "40/h"), ip_soft=("100/m", "1000/h"), ip_hard=("1000/m",)),
        honeypot=True,
        fill_time=True,
    ),
    # Votes on statements are quick clicks, one statement after the other: 40 a minute is
    # a vote every second and a half, faster than anyone reads a sentence; 600 an hour is
    # a long conversation gone through several times. Only the honeypot: a minimum fill
    # time would stop a quick reader.
    "statement_vote": Scope(
        "statement_vote",
        _rules(account=("40/m", "600/h"), ip_soft=("600/m", "10000/h"), ip_hard=("6000/m",)),
        honeypot=True,
    ),
    # A new idea or experience is a long text: 3 drafts a minute, 20 an hour per person.
    "idea": Scope(
        "idea",
        _rules(account=("3/m", "20/h"), ip_soft=("60/m", "600/h"), ip_hard=("600/m",)),
        honeypot=True,
        fill_time=True,
    ),
    # Saving a draft idea, inviting co-authors, submitting: a person working on it.
    "idea_edit": Scope(
        "idea_edit",
        _rules(account=("20/m", "200/h"), ip_soft=("400/m", "4000/h"), ip_hard=("4000/m",)),
    ),
    # Attachments: each is up to the call's size limit; the call also caps their number.
    "attachment": Scope(
        "attachment",
        _rules(account=("10/m", "60/h"), ip_soft=("200/m", "2000/h"), ip_hard=("2000/m",)),
        form_page=False,
    ),
    # Registering an organization is rare (editors verify each one by hand).
    "organization": Scope(
        "organization",
        _rules(account=("2/m", "5/h"), ip_soft=("30/m", "200/h"), ip_hard=("300/m",)),
        honeypot=True,
        fill_time=True,
    ),
    # Invitations send email: a representative inviting a society's members one by one.
    "organization_invite": Scope(
        "organization_invite",
        _rules(account=("10/m", "50/h"), ip_soft=("100/m", "1000/h"), ip_hard=("1000/m",)),
    ),
    # Sign-up, sign-in and password reset come from visitors not signed in yet, so the
    # browser is the small key. A lecture hall signs up together after an announcement:
    # 30 sign-ups a minute from one address is normal then, 300 in a minute is not.
    # allauth's own per-IP limits (ACCOUNT_RATE_LIMITS) are set above these as a backstop;
    # axes still locks out repeated wrong passwords per email and address.
    # But the browser key is whatever cookie the client sends: a script starting each
    # sign-up with fresh cookies is only stopped by its address. So sign-ups have a lower
    # soft limit per address than the other forms (after 10 in a minute from one address
    # each further browser answers one question, once, then goes on: a lecture hall is
    # slowed by a question, not blocked) and a hard one no campus reaches.
    "signup": Scope(
        "signup",
        _rules(browser=("5/m", "20/h"), ip_soft=("10/m", "100/h"), ip_hard=("120/m", "1000/h")),
        # allauth's own honeypot answers a bot with a fake "check your inbox".
        fill_time=True,
    ),
    # Password managers fill and send the sign-in form at once: no fill-time check here.
    "login": Scope("login", _rules(browser=("10/m", "60/h"), ip_soft=("120/m", "1500/h"))),
    "password_reset": Scope(
        "password_reset", _rules(browser=("5/m", "20/h"), ip_soft=("30/m", "300/h"))
    ),
    # Partner sites' API (participation/partners): all of a partner's users come from its
    # server's one address, so only the participant's account is counted, as on our pages;
    # the answer is JSON 429 (no challenge, no bot traps).
    "partner_response": Scope(
        "partner_response", _rules(account=("30/m", "300/h")), form_page=False
    ),
    "partner_comment": Scope("partner_comment", _rules(account=("5/m", "40/h")), form_page=False),
    # The statements block's own per-account limits, whichever partner site sends for them.
    "partner_statement_vote": Scope(
        "partner_statement_vote", _rules(account=("40/m", "600/h")), form_page=False
    ),
    "partner_statement": Scope(
        "partner_statement", _rules(account=("5/m", "40/h")), form_page=False
    ),
    # Wrong answers to the challenge: a person may mistype once or twice.
    "challenge": Scope(
        "challenge",
        _rules(account=("10/10m",), browser=("10/10m",), ip_hard=("100/10m",)),
        form_page=False,
    ),
}


def scope(name):
    """The :class:`Scope` called ``name`` (a KeyError names a typo at once)."""
    return SCOPES[name]


def enabled():
    """Whether the limits apply (``HADAF_RATE_LIMITS``; off in most tests)."""
    return getattr(settings, "HADAF_RATE_LIMITS", True)
