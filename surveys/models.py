"""Customer surveys: the ways in (standing links, personal invitations), what a customer sent
beside the core Submission (SurveyResponse), and closing the loop with unhappy customers
(FollowUp)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from asiakaskunto.models import Organisation, Salesperson, Submission, Team, new_token


class LinkQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def for_teams(self, teams):
        """Links of these teams and of their salespeople (whatever team the link row names)."""
        return self.filter(
            Q(salesperson__isnull=True, team__in=teams) | Q(salesperson__team__in=teams)
        )


class SurveyLink(models.Model):
    """A standing link for a counter: one salesperson, or a team (the customer picks whom they
    met, or "don't know"). Many answers per link; staff can rotate the token or switch it off."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="survey_links"
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="survey_links")
    salesperson = models.ForeignKey(
        Salesperson,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="survey_links",
        help_text=_("Empty for a team link."),
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    rotated_at = models.DateTimeField(null=True, blank=True)

    objects = LinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey link")
        verbose_name_plural = _("survey links")
        constraints = [
            models.UniqueConstraint(
                fields=["salesperson"],
                condition=Q(salesperson__isnull=False),
                name="survey_link_one_per_salesperson",
            ),
            models.UniqueConstraint(
                fields=["team"],
                condition=Q(salesperson__isnull=True),
                name="survey_link_one_per_team",
            ),
        ]

    def __str__(self):
        return str(self.salesperson or self.team)

    @property
    def is_team_link(self) -> bool:
        return self.salesperson_id is None

    def rotate(self):
        """A new token: the printed QR codes with the old one stop working."""
        from .services import forget_links

        forget_links([self.token])
        self.token = new_token()
        self.rotated_at = timezone.now()
        self.save(update_fields=["token", "rotated_at"])


class LinkDayViews(models.Model):
    """How many times a standing link's survey page was shown on one day (the organisation's
    local date), for the response rate of the link: views against answers. One row per link
    and day, counted up with one UPDATE per view (``surveys.page_views``)."""

    link = models.ForeignKey(SurveyLink, on_delete=models.CASCADE, related_name="day_views")
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("survey link views")
        verbose_name_plural = _("survey link views")
        constraints = [
            models.UniqueConstraint(fields=["link", "day"], name="link_day_views_once_per_day")
        ]

    def __str__(self):
        return f"{self.link_id} {self.day}: {self.views}"


class InvitationQuerySet(models.QuerySet):
    def for_teams(self, teams):
        return self.filter(team__in=teams)

    def unanswered(self):
        return self.filter(used_at__isnull=True)

    def open_at(self, now):
        return self.unanswered().filter(expires_at__gt=now)

    def expired_at(self, now):
        return self.unanswered().filter(expires_at__lte=now)

    def reminder_due(self, now, *, after):
        """Sent at least ``after`` ago, not yet reminded, still open, address still known."""
        return (
            self.open_at(now)
            .filter(sent_at__lte=now - after, reminded_at__isnull=True)
            .exclude(email="")
        )


class Invitation(models.Model):
    """A personal single-use link e-mailed to one customer of one salesperson, or a customer
    drawn in a random sample who left only a phone number: listed for a call (interview mode),
    never sent anything (the app has no SMS).

    The address and phone are kept only while they are needed: they are erased when the
    invitation is answered or has expired (see ``send_survey_reminders``). What stays is a keyed
    hash of each (``email_key``, ``phone_key``), so that a sample never asks the same customer
    twice within its period; retention and the customer's erasure remove those too.
    """

    class Status(models.TextChoices):
        OPEN = "OPEN", _("open")
        ANSWERED = "ANSWERED", _("answered")
        EXPIRED = "EXPIRED", _("expired")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="survey_invitations"
    )
    salesperson = models.ForeignKey(
        Salesperson, on_delete=models.CASCADE, related_name="survey_invitations"
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="survey_invitations")
    email = models.EmailField(_("e-mail address"), blank=True)
    # Normalised (privacy.contacts.normalised_phone); only for sampled customers without e-mail.
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    sample_batch = models.ForeignKey(
        "sampling.SampleBatch",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
    )
    language = models.CharField(_("language"), max_length=5, default="fi")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # The first time the link's page was shown (mail scanners that open links count too).
    opened_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    email_erased_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        indexes = [
            models.Index(fields=["used_at", "expires_at"], name="invitation_open"),
        ]

    def __str__(self):
        return f"{self.salesperson} {self.created_at:%Y-%m-%d}"

    def status_at(self, now) -> str:
        if self.used_at:
            return self.Status.ANSWERED
        if self.expires_at <= now:
            return self.Status.EXPIRED
        return self.Status.OPEN


class SurveyResponse(models.Model):
    """What a customer sent beside the scored answers: language, free text, consent, contact,
    and the way in. Written in the same transaction as its Submission."""

    submission = models.OneToOneField(
        Submission, on_delete=models.CASCADE, related_name="survey_response"
    )
    link = models.ForeignKey(
        SurveyLink, on_delete=models.SET_NULL, null=True, blank=True, related_name="responses"
    )
    # One answer per invitation: the database refuses a second (backstop of the conditional
    # update in surveys.services.submit_survey).
    invitation = models.OneToOneField(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="response"
    )
    language = models.CharField(max_length=5)
    free_text = models.TextField(_("free text"), blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    consent = models.BooleanField(_("consent to store the answer"), default=False)
    # A random key the survey form carries: the same form sent twice (a double click, a retry)
    # is stored once, while two customers who give the same answers on one device are not.
    form_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # Interview mode (interviews/): a staff member asked the questions on the phone or face to
    # face and recorded the customer's answers. The mark stays when the interviewer's account
    # goes; the interviewer is who asked.
    interviewed = models.BooleanField(_("interviewed"), default=False)
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_interviews",
        verbose_name=_("interviewer"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self):
        return str(self.submission)


class FollowUpQuerySet(models.QuerySet):
    def for_teams(self, teams):
        return self.filter(team__in=teams)

    def unresolved(self):
        return self.exclude(status=FollowUp.Status.RESOLVED)


class FollowUp(models.Model):
    """Closing the loop: an unhappy answer (NPS 0–6, or 1–2 on any 1–5 question of the survey,
    see ``surveys.services.follow_up_reason``) for the team's manager to contact and resolve.
    The time from the answer to the resolution is stored."""

    class Status(models.TextChoices):
        OPEN = "OPEN", _("open")
        CONTACTED = "CONTACTED", _("contacted")
        RESOLVED = "RESOLVED", _("resolved")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="survey_follow_ups"
    )
    submission = models.OneToOneField(
        Submission, on_delete=models.CASCADE, related_name="follow_up"
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="survey_follow_ups")
    salesperson = models.ForeignKey(
        Salesperson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_follow_ups",
    )
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    answered_at = models.DateTimeField()
    contacted_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    time_to_resolve = models.DurationField(null=True, blank=True)
    # When the team's managers were e-mailed about it (surveys.alerts); empty until then.
    alerted_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Who changed it last; the whole story is in its notes and status changes.
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        indexes = [models.Index(fields=["team", "status"], name="follow_up_team_status")]

    def __str__(self):
        return f"{self.team}: {self.reason}"

    def unhappy_values(self) -> list[tuple[str, int]]:
        """The answers that opened this follow-up as [(question code, value)], read from
        ``reason`` ("CUS3=4, CSAT=1")."""
        values = []
        for part in self.reason.split(","):
            code, _sep, value = part.strip().partition("=")
            if code and value.lstrip("-").isdigit():
                values.append((code, int(value)))
        return values

    @property
    def hours_to_resolve(self) -> float | None:
        if self.time_to_resolve is None:
            return None
        return self.time_to_resolve.total_seconds() / 3600

    @property
    def hours_to_first_contact(self) -> float | None:
        """Hours from the customer's answer to the first contact (marked contacted or resolved)."""
        if self.contacted_at is None:
            return None
        return (self.contacted_at - self.answered_at).total_seconds() / 3600


class FollowUpNote(models.Model):
    """One note on a follow-up (a call, what was agreed): a follow-up keeps all of them, each
    with who wrote it and when."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(pgettext_lazy("follow-up", "note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("follow-up note")
        verbose_name_plural = _("follow-up notes")

    def __str__(self):
        return f"{self.follow_up_id} {self.created_at:%Y-%m-%d %H:%M}"


class FollowUpStatusChange(models.Model):
    """One change of a follow-up's status: from what to what, who changed it and when."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=FollowUp.Status.choices)
    to_status = models.CharField(max_length=20, choices=FollowUp.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("follow-up status change")
        verbose_name_plural = _("follow-up status changes")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_status=models.F("to_status")),
                name="follow_up_status_change_changes",
            )
        ]

    def __str__(self):
        return f"{self.follow_up_id}: {self.from_status} → {self.to_status}"
