"""Surveys' personal data (see ``privacy.registry``).

About a salesperson: their survey links, the invitations sent to their customers (without the
customers' addresses), the customers' free texts about them and the follow-ups with the
managers' notes and status changes (who, when); deleting a follow-up deletes its history. A customer's contact details are the customer's: they stay out of a
salesperson's export.
"""

from django.db.models import Prefetch

from privacy.registry import register

from .models import (
    FollowUp,
    FollowUpNote,
    FollowUpStatusChange,
    Invitation,
    SurveyLink,
    SurveyResponse,
)


def _username(user):
    return user.username if user else None


def _iso(moment):
    return moment.isoformat() if moment else None


def export_person(salesperson) -> dict:
    links = SurveyLink.objects.filter(salesperson=salesperson).order_by("created_at", "id")
    invitations = Invitation.objects.filter(salesperson=salesperson).order_by("created_at", "id")
    responses = (
        SurveyResponse.objects.filter(submission__salesperson=salesperson)
        .select_related("submission")
        .order_by("submission__answered_at", "id")
    )
    follow_ups = (
        FollowUp.objects.filter(salesperson=salesperson)
        .prefetch_related(
            Prefetch(
                "notes", FollowUpNote.objects.select_related("author").order_by("created_at", "id")
            ),
            Prefetch(
                "status_changes",
                FollowUpStatusChange.objects.select_related("changed_by").order_by(
                    "changed_at", "id"
                ),
            ),
        )
        .order_by("answered_at", "id")
    )
    return {
        "links": [{"created_at": _iso(link.created_at), "active": link.active} for link in links],
        "invitations": [
            {
                "created_at": _iso(invitation.created_at),
                "expires_at": _iso(invitation.expires_at),
                "answered_at": _iso(invitation.used_at),
            }
            for invitation in invitations
        ],
        "responses": [
            {
                "submission": response.submission_id,
                "answered_at": _iso(response.submission.answered_at),
                "language": response.language,
                "free_text": response.free_text,
            }
            for response in responses
        ],
        "follow_ups": [
            {
                "submission": follow_up.submission_id,
                "answered_at": _iso(follow_up.answered_at),
                "reason": follow_up.reason,
                "status": follow_up.status,
                "contacted_at": _iso(follow_up.contacted_at),
                "resolved_at": _iso(follow_up.resolved_at),
                "notes": [
                    {
                        "written_at": _iso(note.created_at),
                        "by": _username(note.author),
                        "text": note.text,
                    }
                    for note in follow_up.notes.all()
                ],
                "status_changes": [
                    {
                        "changed_at": _iso(change.changed_at),
                        "by": _username(change.changed_by),
                        "from": change.from_status,
                        "to": change.to_status,
                    }
                    for change in follow_up.status_changes.all()
                ],
            }
            for follow_up in follow_ups
        ],
    }


def erase_person(salesperson) -> int:
    """Delete the follow-ups, responses, invitations and links of the person (the core then
    deletes the submissions themselves)."""
    return sum(
        queryset.delete()[0]
        for queryset in (
            FollowUp.objects.filter(salesperson=salesperson),
            SurveyResponse.objects.filter(submission__salesperson=salesperson),
            Invitation.objects.filter(salesperson=salesperson),
            SurveyLink.objects.filter(salesperson=salesperson),
        )
    )


register("surveys", export_person=export_person, erase_person=erase_person)
