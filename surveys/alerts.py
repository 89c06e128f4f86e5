"""The manager's e-mail when an unhappy customer's follow-up opens: what the customer answered
(each question's wording in the manager's language, never its code), the "why" texts, the
contact details when the customer left them, and a link to the follow-up.

``submit_survey`` only queues the task (``surveys.tasks.alert_follow_up``) once the answer is
committed; the task does the reading and sending here, in the background."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from asiakaskunto.emails import in_language_of, recipients, site_url, staff_email
from asiakaskunto.models import EmailKind

from .models import FollowUp


def follow_up_url(follow_up: FollowUp, *, base_url: str | None = None) -> str:
    return site_url(base_url) + reverse("surveys:follow_up", kwargs={"pk": follow_up.pk})


def alert_messages(follow_up: FollowUp, *, base_url: str | None = None) -> list:
    """The alert e-mails of one follow-up: one per manager of its team who wants them (active,
    with an address, alerts not switched off), each in that manager's language."""
    answers = list(follow_up.submission.answers.in_question_order())
    response = getattr(follow_up.submission, "survey_response", None)
    messages = []
    for manager, preference in recipients(follow_up.team.managers.all(), EmailKind.FOLLOW_UP_ALERT):
        with in_language_of(preference):
            context = {
                "follow_up": follow_up,
                "answers": [
                    {
                        "question": answer.question.text,
                        "value": answer.value,
                        "out_of": answer.question.value_range[1],
                        "why": answer.why,
                    }
                    for answer in answers
                ],
                "free_text": response.free_text if response else "",
                "contact": response.contact if response else "",
                "url": follow_up_url(follow_up, base_url=base_url),
                "answered_at": timezone.localtime(follow_up.answered_at),
            }
            subject = _("Unhappy customer: %(team)s, %(salesperson)s") % {
                "team": follow_up.team.name,
                "salesperson": follow_up.salesperson.name
                if follow_up.salesperson
                else _("salesperson not known"),
            }
            body = render_to_string("surveys/email/follow_up_alert.txt", context)
            messages.append(
                staff_email(
                    manager,
                    kind=EmailKind.FOLLOW_UP_ALERT,
                    subject=subject,
                    body=body,
                    base_url=base_url,
                )
            )
    return messages


def send_follow_up_alert(submission_id: int, *, base_url: str | None = None, now=None) -> int:
    """Send the alert of the follow-up that this submission opened, once (a retried task sends
    nothing again); returns the number of e-mails sent."""
    follow_up = (
        FollowUp.objects.select_related("team", "salesperson", "submission__survey_response")
        .filter(submission_id=submission_id, alerted_at__isnull=True)
        .first()
    )
    if follow_up is None:
        return 0
    # Claim the alert before sending: of two workers running the same task one sends.
    claimed = FollowUp.objects.filter(pk=follow_up.pk, alerted_at__isnull=True).update(
        alerted_at=now or timezone.now()
    )
    if not claimed:
        return 0
    try:
        messages = alert_messages(follow_up, base_url=base_url)
        for message in messages:
            message.send()
    except Exception:
        # Not sent: let a retry of the task try again.
        FollowUp.objects.filter(pk=follow_up.pk).update(alerted_at=None)
        raise
    return len(messages)
