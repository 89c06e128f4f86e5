"""The interviewer's form: the customer survey's questions and "why?" prompts as they are, with
the closing fields addressed to the interviewer (who ticks the customer's consent)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.forms import SurveyForm
from surveys.services import CONTACT_MAX_LENGTH, FREE_TEXT_MAX_LENGTH


class InterviewForm(SurveyForm):
    """A ``SurveyForm`` (same questions, same scales, same "why?" after each) whose closing
    fields speak to the interviewer. The survey's own fields are shared by every form of one
    shape, so they are replaced here, never changed."""

    def __init__(self, *args, questions, ask_free_text=True, **kwargs):
        super().__init__(
            *args, questions=questions, team_members=None, ask_free_text=ask_free_text, **kwargs
        )
        if "free_text" in self.fields:
            self.fields["free_text"] = forms.CharField(
                label=_("Anything else the customer wanted to tell?"),
                required=False,
                max_length=FREE_TEXT_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        self.fields["contact"] = forms.CharField(
            label=_("The customer's phone or e-mail (optional)"),
            help_text=_("Only when the customer wants to be contacted about their answers."),
            required=False,
            max_length=CONTACT_MAX_LENGTH,
        )
        self.fields["consent"] = forms.BooleanField(
            label=_(
                "The customer agreed that their answers are stored and used to develop our service."
            ),
            error_messages={
                "required": _(
                    "Ask the customer whether their answers may be stored. Without their "
                    "consent, do not save the interview."
                )
            },
        )
