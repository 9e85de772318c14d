"""The person's own pages: the profile, the email confirmation link, sign-up by phone.

Everything else about accounts (sign-up, sign-in, passwords, email change) is allauth's
views with our forms and templates; see ``site/settings/base.py``.
"""

from allauth.account import views as allauth_views
from allauth.account.internal.stagekit import clear_login
from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from participation.choices import Role

from .forms import PhoneSignupForm, ProfileForm
from .throttling import too_many_requests

# allauth limits sending confirmation emails but not following the links; keys are
# signed, so this only keeps a guessing script from costing database queries.
CONFIRM_EMAIL_RATE = "60/m"
PROFILE_SAVE_RATE = "20/m"


@login_required
@ratelimit(key="user", rate=PROFILE_SAVE_RATE, method="POST", block=False)
def profile(request):
    """Show and edit the signed-in person's profile."""
    person = request.user
    if request.method == "POST":
        if getattr(request, "limited", False):
            return too_many_requests(request)
        form = ProfileForm(request.POST, instance=person)
        if form.is_valid():
            form.save()
            messages.success(request, _("Your profile has been saved."))
            return redirect("account_profile")
    else:
        form = ProfileForm(instance=person)
    return TemplateResponse(
        request,
        "participation/people/profile.html",
        {
            "form": form,
            "person": person,
            "primary_email": EmailAddress.objects.get_primary(person),
            "needs_rank": person.role == Role.FACULTY and not person.academic_rank,
        },
    )


@method_decorator(
    ratelimit(key="ip", rate=CONFIRM_EMAIL_RATE, method=ratelimit.ALL, block=False),
    name="dispatch",
)
class ConfirmEmailView(allauth_views.ConfirmEmailView):
    """allauth's confirmation page; a forged or expired key gets the same clear page on POST.

    allauth answers a bad key with its page on GET but a bare 404 on POST (the button).
    """

    def dispatch(self, request, *args, **kwargs):
        if getattr(request, "limited", False):
            return too_many_requests(request)
        return super().dispatch(request, *args, **kwargs)

    def post(self, *args, **kwargs):
        try:
            return super().post(*args, **kwargs)
        except Http404:
            self.object = None
            return self.render_to_response(self.get_context_data())


confirm_email = ConfirmEmailView.as_view()


class PhoneSignupView(allauth_views.SignupView):
    """allauth's sign-up with a mobile number instead of an email address and password.

    Everything after the form is allauth's: the phone verification stage sends the code
    (``adapter.send_verification_code_sms``) and signs the person in once it is typed.
    """

    template_name = "account/signup_phone.html"

    def get_form_class(self):
        return PhoneSignupForm


phone_signup = PhoneSignupView.as_view()


@require_POST
def restart_code(request):
    """Drop the sign-in or sign-up that waits for a code, to start again with another number.

    While one waits, allauth sends every visit of its sign-in pages back to the code page.
    """
    clear_login(request)
    return redirect("account_request_login_code")
