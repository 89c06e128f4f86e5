"""Writing a customer's answer: one Submission with its Answers, the SurveyResponse and, for an
unhappy answer, a FollowUp — all in one transaction, and at most once per invitation."""

import hashlib
import secrets
import uuid
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from asiakaskunto.cache import shared_cache
from asiakaskunto.evidence import record_submission
from asiakaskunto.models import (
    Answer,
    Method,
    Metric,
    Organisation,
    Question,
    Salesperson,
    Scale,
    Submission,
    Team,
)
from asiakaskunto.process_cache import ProcessLRU
from asiakaskunto.questions import active_questions

from .models import (
    FollowUp,
    FollowUpNote,
    FollowUpStatusChange,
    Invitation,
    SurveyLink,
    SurveyResponse,
)

# An unhappy answer opens a follow-up for the team's manager (DESIGN.md "close the loop"): a
# detractor on the NPS question (0–6), or 1–2 on any other 1–5 question of the survey.
FOLLOW_UP_NPS_AT_OR_BELOW = 6
FOLLOW_UP_FIVE_POINT_AT_OR_BELOW = 2

# Texts typed by customers are cut at these lengths by the form (with a message).
WHY_MAX_LENGTH = 1000
FREE_TEXT_MAX_LENGTH = 2000
CONTACT_MAX_LENGTH = 200


class AlreadyAnswered(Exception):
    """The invitation has been answered already (or a concurrent submit won)."""


class InvitationExpired(Exception):
    """The invitation's time ran out before it was answered."""


class RepeatedForm(Exception):
    """This very form (its form key) has been stored already: a double click or a retry."""


@dataclass
class SurveyAnswers:
    """A customer's validated answers: {question code: (value, why)} and the extras."""

    values: dict[str, tuple[int, str]]
    language: str
    consent: bool
    free_text: str = ""
    contact: str = ""
    questions: dict[str, Question] = field(default_factory=dict)
    form_key: uuid.UUID | None = None


QUESTIONS_CACHE_SECONDS = 60
LINK_CACHE_SECONDS = 60


def _link_key(token: str) -> str:
    # v3: the shared entry is the stamp of the link kept in each process (a process of an
    # earlier release must not read a stamp as a link, nor this one a link as a stamp).
    return "survey-link:v3:" + hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class LinkOrganisation:
    """What the customer's pages need of the link's organisation."""

    pk: int
    name: str
    survey_free_text: bool


@dataclass(frozen=True)
class LinkTeam:
    pk: int
    name: str


@dataclass(frozen=True)
class LinkPerson:
    """The link's salesperson, or one of its team's salespeople to choose from."""

    pk: int
    name: str
    active: bool = True


@dataclass(frozen=True)
class StandingLink:
    """An active standing link as the customer's pages use it: a value, shared by every request
    of the process that built it, that none of them can change (no model instance).

    ``team``: the team its answers count for (for a personal link the salesperson's team);
    ``questions``: the organisation's survey questions (``survey_questions``; the bank's rows,
    read only); ``team_members``: for a team link its active salespeople by name, else None.
    """

    pk: int
    organisation: LinkOrganisation
    team: LinkTeam
    salesperson: LinkPerson | None
    questions: tuple[Question, ...]
    team_members: tuple[LinkPerson, ...] | None

    @property
    def usable(self) -> bool:
        """False when its salesperson has left (the link is kept, but takes no answers)."""
        return self.salesperson is None or self.salesperson.active


# {link key: (stamp, StandingLink)}: the standing links this process has built, each with the
# stamp that the shared cache held for it.
_LINKS_HERE = ProcessLRU(1024)


def active_link(token: str) -> StandingLink | None:
    """The active standing link with this token (a StandingLink), else None.

    Every answer through a counter's QR code starts here, and the lookups were the largest
    single cost of storing an answer. So the cache holds a stamp for the link for a minute, and
    each app process keeps the link it built under that stamp: a request reads the stamp (one
    small round trip to a shared cache) and, when its process holds the link for that stamp,
    uses it as it is (it is immutable, so no request changes what the next one gets). Rotating,
    switching or deleting the link forgets the stamp at once (``forget_links``), and so does a
    change of its organisation or team, or of any salesperson of the organisation; every
    process then builds the link anew from the database. Unknown tokens are not cached.
    """
    key = _link_key(token)
    stamp = shared_cache.get(key)
    if stamp is not None:
        kept = _LINKS_HERE.get(key)
        if kept is not None and kept[0] == stamp:
            return kept[1]
    added = False
    if stamp is None:
        # The stamp goes in before the database is read: a change that commits meanwhile
        # forgets it, so what was read then is never taken for the changed link.
        new_stamp = secrets.token_hex(8)
        added = shared_cache.add(key, new_stamp, LINK_CACHE_SECONDS)
        stamp = new_stamp if added else shared_cache.get(key)  # another request's, when not added
    row = (
        SurveyLink.objects.active()
        .select_related("organisation", "team", "salesperson__team")
        .filter(token=token)
        .order_by()
        .first()
    )
    if row is None:
        if added:
            shared_cache.delete(key)  # unknown tokens leave nothing behind
        return None
    link = _standing_link(row)
    if stamp is not None:
        _LINKS_HERE.put(key, (stamp, link))
    return link


def _standing_link(row: SurveyLink) -> StandingLink:
    organisation = row.organisation
    person = row.salesperson
    team = person.team if person is not None else row.team
    return StandingLink(
        pk=row.pk,
        organisation=LinkOrganisation(
            pk=organisation.pk,
            name=organisation.name,
            survey_free_text=organisation.survey_free_text,
        ),
        team=LinkTeam(pk=team.pk, name=team.name),
        salesperson=None
        if person is None
        else LinkPerson(pk=person.pk, name=person.name, active=person.active),
        questions=tuple(_questions_of(organisation)),
        team_members=tuple(
            LinkPerson(pk=member.pk, name=member.name)
            for member in row.team.members.active().order_by("name", "id")
        )
        if row.is_team_link
        else None,
    )


def forget_links(tokens) -> None:
    """Drop cached links (by their tokens) after a change that concerns them."""
    shared_cache.delete_many([_link_key(token) for token in tokens])


def survey_questions(organisation: Organisation) -> list[Question]:
    """The questions this organisation asks its customers, in order: every active customer
    question, without CSAT, CES when the organisation has switched them off.

    Cached for a minute (every survey page needs them); the bank editor forgets the cached
    copies at once (``forget_survey_questions``). A standing link carries its own copy
    (``active_link``), as fresh.
    """
    key = _questions_key(organisation.pk, organisation.survey_csat, organisation.survey_ces)
    questions = cache.get(key)
    if questions is None:
        questions = _questions_of(organisation)
        cache.set(key, questions, QUESTIONS_CACHE_SECONDS)
    return questions


def _questions_key(organisation_id: int, csat: bool, ces: bool) -> str:
    return f"survey-questions:v2:{organisation_id}:{int(csat)}{int(ces)}"


def forget_survey_questions(organisation: Organisation) -> None:
    """After an edit of the organisation's bank: its survey pages and standing links read the
    questions anew (every process, at once)."""
    cache.delete_many(
        [_questions_key(organisation.pk, csat, ces) for csat in (0, 1) for ces in (0, 1)]
    )
    forget_links(
        SurveyLink.objects.filter(organisation=organisation).values_list("token", flat=True)
    )


def _questions_of(organisation: Organisation) -> list[Question]:
    """The organisation's active customer questions (``active_questions``) without the metrics
    it has switched off."""
    switched_off = {Metric.CSAT} if not organisation.survey_csat else set()
    if not organisation.survey_ces:
        switched_off.add(Metric.CES)
    return [
        question
        for question in active_questions(organisation, Method.CUSTOMER)
        if question.metric not in switched_off
    ]


def follow_up_reason(values: dict[str, tuple[int, str]], questions: dict[str, Question]) -> str:
    """Why an answer needs a follow-up ("CUS3=4, CSAT=1"), or "" when it does not.
    ``values``: {question code: (value, why)}; ``questions``: {code: Question}."""
    reasons = []
    for code, (value, _why) in values.items():
        question = questions[code]
        if question.metric == Metric.NPS:
            unhappy = value <= FOLLOW_UP_NPS_AT_OR_BELOW
        else:
            unhappy = (
                question.scale == Scale.FIVE_POINT and value <= FOLLOW_UP_FIVE_POINT_AT_OR_BELOW
            )
        if unhappy:
            reasons.append(f"{code}={value}")
    return ", ".join(reasons)


def follow_up_rule() -> str:
    """The rule of ``follow_up_reason`` in the active language, for the pages that explain it."""
    return gettext(
        "An answer of 0–%(nps)d to the recommendation question, or of 1–%(low)d to any question "
        "answered on a scale of 1–5 (satisfaction and ease included), opens a follow-up for the "
        "team's manager."
    ) % {"nps": FOLLOW_UP_NPS_AT_OR_BELOW, "low": FOLLOW_UP_FIVE_POINT_AT_OR_BELOW}


@dataclass(frozen=True)
class UnhappyAnswer:
    """One answer that opened a follow-up: its question (wording via ``question.text`` and
    ``question.short_text``) and the value given."""

    question: Question
    value: int


def with_unhappy_answers(follow_ups) -> list[FollowUp]:
    """The follow-ups as a list, each with ``unhappy_answers``: [UnhappyAnswer] of the answers
    that opened it, in the order of its ``reason``. One query for all their questions."""
    follow_ups = list(follow_ups)
    codes = {code for follow_up in follow_ups for code, _value in follow_up.unhappy_values()}
    # The very versions the customer answered (a question edited since keeps its old wording).
    answered = (
        Answer.objects.filter(
            submission_id__in=[follow_up.submission_id for follow_up in follow_ups],
            question__code__in=codes,
        ).select_related("question")
        if codes
        else []
    )
    questions = {(a.submission_id, a.question.code): a.question for a in answered}
    for follow_up in follow_ups:
        follow_up.unhappy_answers = [
            UnhappyAnswer(
                questions.get((follow_up.submission_id, code)) or Question(code=code, text_fi=code),
                value,
            )
            for code, value in follow_up.unhappy_values()
        ]
    return follow_ups


def submit_survey(
    answers: SurveyAnswers,
    *,
    organisation: Organisation | LinkOrganisation,
    team: Team | LinkTeam,
    salesperson: Salesperson | LinkPerson | None,
    now: datetime,
    link: SurveyLink | StandingLink | None = None,
    invitation: Invitation | None = None,
    base_url: str | None = None,
    interviewer=None,
) -> Submission:
    """Store one customer survey, all or nothing, and return its Submission. The organisation,
    team, salesperson and link are rows or the standing link's values (only their ids are used).

    An unhappy answer opens a follow-up, and its team's managers are e-mailed in the background
    once the answer is committed (``surveys.tasks.alert_follow_up``; only the task is queued
    here). ``base_url``: the scheme and host of the request, for the link in that e-mail.

    An invitation is used up here, on submit (never on GET), by a conditional update that only
    one of several concurrent submits can win; the unique response → invitation constraint is the
    backstop. Raises AlreadyAnswered or InvitationExpired and stores nothing in those cases.

    ``interviewer``: the staff member who asked the questions and recorded the customer's
    answers (interview mode, ``interviews/``); the response is then marked interviewed.

    The Submission, its Answers, the SurveyResponse and the FollowUp are written by
    ``asiakaskunto.evidence.record_submission`` (on PostgreSQL one statement: the fast path of a
    busy counter), all or nothing by itself, so an answer through a standing link needs no
    transaction around it.
    """
    reason = follow_up_reason(answers.values, answers.questions)
    organisation_id, team_id = organisation.pk, team.pk
    salesperson_id = salesperson.pk if salesperson is not None else None
    attached = [
        (
            SurveyResponse,
            {
                "link": link.pk if link is not None else None,
                "invitation": invitation,
                "language": answers.language,
                "free_text": answers.free_text,
                "contact": answers.contact,
                "consent": answers.consent,
                "form_key": answers.form_key,
                "interviewed": interviewer is not None,
                "interviewer": interviewer.pk if interviewer is not None else None,
            },
        )
    ]
    if reason:
        follow_up = {
            "organisation": organisation_id,
            "team": team_id,
            "salesperson": salesperson_id,
            "reason": reason,
            "answered_at": now,
        }
        attached.append((FollowUp, follow_up))
    try:
        # Using up an invitation and storing the answer are one step; without an invitation
        # record_submission is all or nothing by itself.
        with transaction.atomic() if invitation is not None else nullcontext():
            if invitation is not None:
                _use_up(invitation, now=now)
            submission = record_submission(
                organisation=organisation_id,
                method=Method.CUSTOMER,
                salesperson=salesperson_id,
                team=team_id,
                answered_at=now,
                answers=(
                    (answers.questions[code], value, why)
                    for code, (value, why) in answers.values.items()
                ),
                attached=attached,
            )
    except IntegrityError as error:
        if invitation is not None:
            raise AlreadyAnswered from error
        if answers.form_key and SurveyResponse.objects.filter(form_key=answers.form_key).exists():
            raise RepeatedForm from error
        raise
    if reason:
        _alert_when_committed(submission.pk, base_url=base_url)
    return submission


def _alert_when_committed(submission_id: int, *, base_url: str | None) -> None:
    """Queue the managers' e-mail about a new follow-up once its row is committed (at once when
    no transaction is open). A queue that fails is logged: the answer is stored all the same."""
    from .tasks import alert_follow_up

    transaction.on_commit(
        lambda: alert_follow_up.enqueue(submission_id, base_url or ""), robust=True
    )


def _use_up(invitation: Invitation, *, now: datetime) -> None:
    """Mark the invitation answered (and forget its address or phone), or raise why it cannot
    be."""
    won = Invitation.objects.filter(
        pk=invitation.pk, used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now, email="", phone="", email_erased_at=now)
    if not won:
        current = Invitation.objects.filter(pk=invitation.pk).first()
        if current is None or current.used_at is not None:
            raise AlreadyAnswered
        raise InvitationExpired


def update_follow_up(follow_up: FollowUp, *, status: str, note: str, user, now) -> FollowUp:
    """Change a follow-up's status and/or add a note, keeping its history: a status change is
    recorded with who and when, a note is added beside the earlier ones. The first contact
    (marked contacted or resolved) keeps its time, and a resolution the time from the
    customer's answer to it; reopening clears the resolution."""
    with transaction.atomic():
        # The row as it is now, locked: of two managers saving at once, the second sees the
        # first one's status as the one it changes from.
        current = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if status != current.status:
            FollowUpStatusChange.objects.create(
                follow_up=current,
                from_status=current.status,
                to_status=status,
                changed_by=user,
                changed_at=now,
            )
        if note:
            FollowUpNote.objects.create(follow_up=current, text=note, author=user, created_at=now)
        current.status = status
        current.handled_by = user
        if status in (FollowUp.Status.CONTACTED, FollowUp.Status.RESOLVED):
            current.contacted_at = current.contacted_at or now
        if status == FollowUp.Status.RESOLVED:
            if current.resolved_at is None:
                current.resolved_at = now
                current.time_to_resolve = now - current.answered_at
        else:
            current.resolved_at = None
            current.time_to_resolve = None
        current.save()
    return current


def follow_up_history(follow_up: FollowUp) -> list[dict]:
    """The follow-up's story, oldest first: the customer's answer, every status change and
    every note, each with who and when (two queries)."""
    events = [{"kind": "answered", "at": follow_up.answered_at, "by": None}]
    for change in follow_up.status_changes.select_related("changed_by").order_by(
        "changed_at", "id"
    ):
        events.append(
            {
                "kind": "status",
                "at": change.changed_at,
                "by": change.changed_by,
                "from": change.get_from_status_display(),
                "to": change.get_to_status_display(),
            }
        )
    for note in follow_up.notes.select_related("author").order_by("created_at", "id"):
        events.append({"kind": "note", "at": note.created_at, "by": note.author, "text": note.text})
    # A status change and the note saved with it share a moment: the change first.
    order = {"answered": 0, "status": 1, "note": 2}
    return sorted(events, key=lambda event: (event["at"], order[event["kind"]]))
