"""allauth's login stages, adjusted for accounts that sign in by mobile number."""

from allauth.account import stages


class EmailVerificationStage(stages.EmailVerificationStage):
    """allauth's mandatory email verification, except where a mobile number stands for it.

    Someone who signed up by mobile number has no email address to confirm, and proved
    the number with a code (the phone stage runs before this one); an email they add
    later is confirmed when they add it. A sign-up with a number that already has an
    account (``user`` is ``None``) is answered by the phone stage alone, the same page as
    a new number.
    """

    def handle(self):
        user = self.login.user
        if user is None and self.login.phone and not self.login.email:
            return None, True
        if user is not None and getattr(user, "is_phone_verified", False):
            return None, True
        return super().handle()
