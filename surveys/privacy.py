"""Surveys' personal data (see ``privacy.registry``).

About a salesperson: their survey links, the invitations sent to their customers (without the
customers' addresses), the customers' free texts about them and the follow-ups with the
managers' notes and status changes (who, when); deleting a follow-up deletes its history. A customer's contact details are the customer's: they stay out of a
salesperson's export.
"""

from datetime import datetime

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from asiakaskunto.models import Answer, Method
from privacy.registry import Finding, register
from reports.results_cache import mark_stale_on_commit

from .invitations import email_key, erase_expired_addresses, phone_key
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
                "opened_at": _iso(invitation.opened_at),
                "answered_at": _iso(invitation.used_at),
                "sampled": invitation.sample_batch_id is not None,
            }
            for invitation in invitations
        ],
        "responses": [
            {
                "submission": response.submission_id,
                "answered_at": _iso(response.submission.answered_at),
                "language": response.language,
                "free_text": response.free_text,
                "interviewed": response.interviewed,
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


def _found(queryset, contact, *fields):
    """The rows of ``queryset`` that hold the contact in one of ``fields``."""
    return [
        row
        for row in queryset.filter(contact.may_be_in(*fields))
        if any(contact.found_in(getattr(row, field)) for field in fields)
    ]


def _customer_records(organisation, contact):
    responses = _found(
        SurveyResponse.objects.filter(submission__organisation=organisation)
        .select_related("submission__salesperson", "submission__team")
        .order_by("submission__answered_at", "id"),
        contact,
        "contact",
        "free_text",
    )
    notes = FollowUpNote.objects.filter(follow_up__organisation=organisation).select_related(
        "follow_up__salesperson", "follow_up__team"
    )
    # The notes that name the contact, and every note on the customer's own answers.
    naming = {note.pk for note in _found(notes, contact, "text")}
    notes = list(
        notes.filter(
            Q(pk__in=naming)
            | Q(follow_up__submission__in=[response.submission_id for response in responses])
        ).order_by("created_at", "id")
    )
    # Invitations with the address or phone, and those that keep only its keyed hash (a sample
    # remembers whom it asked after the address is erased).
    if contact.email:
        held = Q(email__iexact=contact.email) | Q(email_key=email_key(contact.email))
    else:
        held = Q(phone=contact.phone) | Q(phone_key=phone_key(contact.phone))
    invitations = list(
        Invitation.objects.filter(held, organisation=organisation)
        .select_related("salesperson")
        .order_by("created_at", "id")
    )
    return responses, notes, invitations


def customer_answers(organisation, contact) -> set[tuple[int | None, datetime]]:
    """(salesperson id, answered at) of the customer's answers, for the apps that copied
    their texts (coaching's goal quotes)."""
    return {
        (response.submission.salesperson_id, response.submission.answered_at)
        for response in _found(
            SurveyResponse.objects.filter(submission__organisation=organisation).select_related(
                "submission"
            ),
            contact,
            "contact",
            "free_text",
        )
    }


def find_customer(organisation, contact) -> list[Finding]:
    responses, notes, invitations = _customer_records(organisation, contact)
    return [
        *(
            Finding(
                kind=_("survey response"),
                at=response.submission.answered_at,
                summary=" · ".join(filter(None, [response.contact, response.free_text])),
                where=str(response.submission.salesperson or response.submission.team),
            )
            for response in responses
        ),
        *(
            Finding(
                kind=_("follow-up note"),
                at=note.created_at,
                summary=note.text,
                where=str(note.follow_up.salesperson or note.follow_up.team),
            )
            for note in notes
        ),
        *(
            Finding(
                kind=_("survey invitation"),
                at=invitation.created_at,
                summary=invitation.email
                or invitation.phone
                or _("address erased; a keyed hash kept so that samples do not ask again"),
                where=str(invitation.salesperson),
            )
            for invitation in invitations
        ),
    ]


def erase_customer(organisation, contact) -> int:
    """Blank the contact and free texts of the customer's answers (their "why" texts too),
    delete the follow-up notes on them and the notes that name the contact, and blank the
    invitations' addresses, phones and their keyed hashes (the customer may then be drawn
    again). The scores stay: without these they no longer point at anyone."""
    responses, notes, invitations = _customer_records(organisation, contact)
    submissions = [response.submission_id for response in responses]
    SurveyResponse.objects.filter(pk__in=[response.pk for response in responses]).update(
        contact="", free_text=""
    )
    Answer.objects.filter(submission__in=submissions).exclude(why="").update(why="")
    FollowUpNote.objects.filter(pk__in=[note.pk for note in notes]).delete()
    Invitation.objects.filter(pk__in=[invitation.pk for invitation in invitations]).update(
        email="", phone="", email_key="", phone_key="", email_erased_at=timezone.now()
    )
    if submissions:  # the "why" texts show on the pages of grades kept in the cache
        mark_stale_on_commit(organisation.pk)
    return len(responses) + len(notes) + len(invitations)


def apply_retention(organisation, policy, now) -> dict[str, int]:
    """Customers' contact details and free texts (their "why" texts and the follow-up notes
    too) older than the organisation keeps them, the addresses and phones of expired
    invitations, and the keyed hashes of invitations older than customer data is kept."""
    before = policy.customer_data_before
    counts = {
        "responses": SurveyResponse.objects.filter(
            submission__organisation=organisation, submission__answered_at__lt=before
        )
        .exclude(contact="", free_text="")
        .update(contact="", free_text=""),
        "why_texts": Answer.objects.filter(
            submission__organisation=organisation,
            submission__answered_at__lt=before,
            method=Method.CUSTOMER,
        )
        .exclude(why="")
        .update(why=""),
        "follow_up_notes": FollowUpNote.objects.filter(
            follow_up__organisation=organisation, follow_up__answered_at__lt=before
        ).delete()[0],
        "invitation_addresses": erase_expired_addresses(now, organisation=organisation),
        # What samples remember of whom they asked, once older than customer data is kept.
        "invitation_keys": Invitation.objects.filter(
            organisation=organisation, created_at__lt=before
        )
        .exclude(email_key="", phone_key="")
        .update(email_key="", phone_key=""),
    }
    if counts["why_texts"]:
        mark_stale_on_commit(organisation.pk)
    return counts


register(
    "surveys",
    export_person=export_person,
    erase_person=erase_person,
    find_customer=find_customer,
    erase_customer=erase_customer,
    apply_retention=apply_retention,
)
