"""Email domains editors register for a university: what may and may not be one.

A registered domain verifies everyone with an address under it, so a slip (``ac.ir``,
``gmail.com``) would verify strangers by the thousand; such entries are refused.
"""

import re

from django.utils.translation import gettext as _

_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_DOMAIN = re.compile(rf"^(?:{_LABEL}\.)+(?:xn--[a-z0-9-]{{2,59}}|[a-z]{{2,63}})$")
# Shared by many institutions or open to anyone: never one university's.
TOO_BROAD = {
    "ac.ir", "edu.ir", "org.ir", "co.ir", "gov.ir", "id.ir", "sch.ir", "net.ir",
    "edu", "ac.uk", "edu.au",
    "gmail.com", "googlemail.com", "yahoo.com", "ymail.com", "outlook.com", "hotmail.com",
    "live.com", "icloud.com", "aol.com", "proton.me", "protonmail.com", "yandex.com",
    "mail.ru", "chmail.ir", "mail.ir",
}  # fmt: skip


def clean_domain(word):
    """``word`` as a registered domain: lower-case, without a leading ``@`` or dot."""
    return word.strip().strip("@.").lower()


def domain_problem(domain):
    """Why ``domain`` cannot be a university's (a translated sentence), or ``""``."""
    if not _DOMAIN.match(domain):
        return _("“%(domain)s” is not a domain name, like ut.ac.ir.") % {"domain": domain}
    if domain in TOO_BROAD or "." not in domain:
        return _(
            "“%(domain)s” is shared by many institutions or open to anyone; register the "
            "university's own domain, like ut.ac.ir."
        ) % {"domain": domain}
    return ""
