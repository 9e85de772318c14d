"""The forms authors fill in: the submission itself, the call's own questions, a co-author."""

from django import forms
from django.utils.translation import gettext_lazy as _

from participation.emails import validate_email_identity
from participation.forms import PersianTextField
from participation.protection.traps import BotTrapForm
from participation.questions.forms import (
    FormBuilder,
    SurveyForm,
    answers_from_cleaned_data,
    initial_from_answers,
)
from participation.questions.schema import read_questions

from . import services
from .choices import IdeaKind

SUMMARY_MAX_LENGTH = 1000
BODY_MAX_LENGTH = 30000


class IdeaForm(BotTrapForm):
    """Title, kind, theme, summary, full text, organization and gallery consent."""

    kind = forms.ChoiceField(label=_("What are you submitting?"), widget=forms.RadioSelect)
    category = forms.ChoiceField(label=_("Theme"))
    title = PersianTextField(label=_("Title"), max_length=200)
    summary = PersianTextField(
        label=_("Summary"),
        max_length=SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In a few sentences: what it is and why it matters."),
    )
    body = PersianTextField(
        label=_("Full text"),
        max_length=BODY_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "For an idea: the problem, the idea, how to carry it out and what it needs. "
            "For an experience: what was done, with whom, the results and the lessons. "
            "Needed before you submit."
        ),
    )
    organization = forms.ModelChoiceField(
        label=_("Submit on behalf of"),
        queryset=None,
        required=False,
        empty_label=_("Myself (and my co-authors)"),
    )
    show_in_gallery = forms.BooleanField(
        label=_("If it is accepted, it may be shown in the public gallery with our names"),
        required=False,
    )

    def __init__(self, *args, page, user, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = services.accepted_kinds(page)
        self.fields["kind"].choices = [(kind, IdeaKind(kind).label) for kind in kinds]
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0]
        themes = services.theme_choices(page)
        if themes:
            self.fields["category"].choices = [("", _("Choose a theme")), *themes]
        else:
            del self.fields["category"]
        organizations = services.organizations_for(user)
        if organizations.exists():
            self.fields["organization"].queryset = organizations
        else:
            del self.fields["organization"]

    def idea_fields(self):
        """The model fields of a valid form (see ``services.start_idea``)."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "category": data.get("category", ""),
            "title": data["title"],
            "summary": data["summary"],
            "body": data.get("body", ""),
            "show_in_gallery": data.get("show_in_gallery", False),
        }


class CallQuestionsForm(SurveyForm):
    """The call's own questions, drawn and checked by the survey engine; no timing field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("started_at", None)

    def clean_started_at(self):
        return None


class CallQuestionsBuilder(FormBuilder):
    form_class = CallQuestionsForm


def questions_form_class(page):
    questionnaire = read_questions(page.questions)
    return questionnaire, CallQuestionsBuilder(questionnaire).get_form_class()


def answers_of(questionnaire, questions_form):
    return answers_from_cleaned_data(questionnaire, questions_form.cleaned_data)


def initial_answers(questionnaire, idea):
    return initial_from_answers(questionnaire, list(idea.answers.all()))


class CoAuthorForm(forms.Form):
    email = forms.EmailField(
        label=_("Co-author's email address"),
        help_text=_("They receive a link to accept or decline."),
        # A look-alike of someone's address would let its owner accept in their name.
        validators=[validate_email_identity],
    )
