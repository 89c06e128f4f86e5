"""Observation checklists (a manager on the shop floor) and mystery-shopper tests.

Drafts and plans live here; the evidence that counts is the core Submission + Answers, written
in the same transaction as a checklist is submitted or a mystery test is completed.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from asiakaskunto.dates import date_range_constraint
from asiakaskunto.models import Organisation, Question, Salesperson, Submission, Team, new_token


class ChecklistStatus(models.TextChoices):
    DRAFT = "DRAFT", _("Draft")
    SUBMITTED = "SUBMITTED", _("Submitted")


class ChecklistQuerySet(models.QuerySet):
    def visible_to(self, user, salespeople):
        """Submitted checklists of the given (already scoped) salespeople, and the user's own
        drafts: a draft is its author's unfinished work."""
        return self.filter(salesperson__in=salespeople).filter(
            Q(status=ChecklistStatus.SUBMITTED) | Q(author=user)
        )

    def drafts_of(self, user):
        return self.filter(author=user, status=ChecklistStatus.DRAFT)

    def submitted(self):
        return self.filter(status=ChecklistStatus.SUBMITTED)


class Checklist(models.Model):
    """One observation of one salesperson by a manager. Draft answers are kept in
    ``draft_answers`` ({question id: {"value": int | None, "note": str}}); once submitted the
    answers are the core Answers of ``submission``."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="checklists"
    )
    salesperson = models.ForeignKey(
        Salesperson,
        on_delete=models.CASCADE,
        related_name="checklists",
        verbose_name=_("salesperson"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="checklists",
        verbose_name=_("author"),
    )
    observed_at = models.DateTimeField(_("observed at"))
    location = models.CharField(_("location or situation"), max_length=200, blank=True)
    general_note = models.TextField(_("general note"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ChecklistStatus.choices, default=ChecklistStatus.DRAFT
    )
    draft_answers = models.JSONField(default=dict, blank=True)
    # The template the checklist was started from (empty: every question). A used template is
    # archived, never deleted, so the history can always say which one it was.
    template = models.ForeignKey(
        "ChecklistTemplate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="checklists",
        verbose_name=_("checklist template"),
    )
    submission = models.OneToOneField(
        Submission,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="checklist",
    )
    # From a hidden field of the form: a double click on "save" finds the first row.
    idempotency_key = models.UUIDField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = ChecklistQuerySet.as_manager()

    class Meta:
        verbose_name = _("observation checklist")
        verbose_name_plural = _("observation checklists")
        indexes = [
            models.Index(fields=["salesperson", "observed_at"], name="checklist_person_observed"),
            models.Index(fields=["author", "status"], name="checklist_author_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ChecklistStatus.DRAFT) | Q(submitted_at__isnull=False),
                name="checklist_submitted_has_time",
            ),
            date_range_constraint("observed_at", model="checklist"),
        ]

    def __str__(self):
        return f"{self.salesperson} {self.observed_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("observations:checklist_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == ChecklistStatus.DRAFT


class ChecklistTemplateQuerySet(models.QuerySet):
    def of(self, organisation):
        return self.filter(organisation=organisation)

    def active(self):
        return self.filter(archived_at__isnull=True)

    def in_name_order(self):
        return self.order_by("name_fi", "id")


class ChecklistTemplate(models.Model):
    """A named, ordered choice of the organisation's observation questions, e.g. "Tervehdys ja
    odotus". Leadership edits them; a manager starts a checklist from one and it asks only
    those questions."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="checklist_templates"
    )
    name_fi = models.CharField(_("name (Finnish)"), max_length=120)
    name_sv = models.CharField(_("name (Swedish)"), max_length=120, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    questions = models.ManyToManyField(
        Question, through="ChecklistTemplateQuestion", related_name="+"
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ChecklistTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name_fi"], name="checklist_template_name_unique"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language, Finnish when no other is written."""
        language = (translation.get_language() or "fi")[:2]
        return getattr(self, f"name_{language}", "") or self.name_fi

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class ChecklistTemplateQuestion(models.Model):
    """One question of a template, at its place in the template's order."""

    template = models.ForeignKey(
        ChecklistTemplate, on_delete=models.CASCADE, related_name="entries"
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="template_entries"
    )
    position = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["template", "question"], name="checklist_template_question_once"
            )
        ]

    def __str__(self):
        return f"{self.template_id}:{self.question_id}@{self.position}"


class ChecklistRevision(models.Model):
    """The previous version of a submitted checklist, kept when someone corrects it."""

    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="revisions")
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    edited_at = models.DateTimeField()
    # {"observed_at": iso, "location": str, "general_note": str,
    #  "answers": {question code: {"value": int, "note": str}}}
    previous = models.JSONField()
    # [{"field": label, "before": str, "after": str}, …] for reading the history at a glance.
    changes = models.JSONField(default=list)

    class Meta:
        verbose_name = _("checklist revision")
        verbose_name_plural = _("checklist revisions")

    def __str__(self):
        return f"{self.checklist_id} @ {self.edited_at:%Y-%m-%d %H:%M}"


def end_of_day(day) -> datetime:
    """The first moment after ``day`` in the site's time zone."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


class MysteryScenarioQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def of(self, organisation):
        return self.filter(organisation=organisation)


class MysteryScenario(models.Model):
    """What a mystery shopper does on a visit: the organisation's chosen mystery-shop questions
    and instructions (Finnish, optionally Swedish and English), e.g. "ask for a gift for a
    10-year-old". A plan picks one; the shopper's form shows its instructions and asks its
    questions. Retired (``active`` off) rather than deleted once plans use it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="mystery_scenarios"
    )
    name = models.CharField(_("name"), max_length=200)
    instructions_fi = models.TextField(_("instructions (Finnish)"), max_length=5000)
    instructions_sv = models.TextField(_("instructions (Swedish)"), max_length=5000, blank=True)
    instructions_en = models.TextField(_("instructions (English)"), max_length=5000, blank=True)
    questions = models.ManyToManyField(
        "asiakaskunto.Question", related_name="mystery_scenarios", verbose_name=_("questions")
    )
    active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MysteryScenarioQuerySet.as_manager()

    class Meta:
        verbose_name = _("mystery-shop scenario")
        verbose_name_plural = _("mystery-shop scenarios")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="mystery_scenario_name_unique"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("observations:scenario_edit", args=[self.pk])

    @property
    def instructions(self) -> str:
        """The instructions in the active language, Finnish when no other is written."""
        language = (translation.get_language() or "fi")[:2]
        return getattr(self, f"instructions_{language}", "") or self.instructions_fi


class MysterySettings(models.Model):
    """The organisation's choices for its mystery-shopping programme (leadership's)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="mystery_settings"
    )
    review_required = models.BooleanField(
        _("review tests before they count"),
        default=False,
        help_text=_(
            "A completed test counts only after a manager of its team or leadership approves it."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("mystery-shopping settings")
        verbose_name_plural = _("mystery-shopping settings")

    def __str__(self):
        return str(self.organisation)


def review_required(organisation_id: int) -> bool:
    """Whether the organisation's completed mystery tests wait for approval before they count."""
    return MysterySettings.objects.filter(
        organisation_id=organisation_id, review_required=True
    ).exists()


class Frequency(models.TextChoices):
    MONTH = "MONTH", _("Every month")
    QUARTER = "QUARTER", _("Every quarter")
    HALF_YEAR = "HALF_YEAR", _("Every half-year")


FREQUENCY_MONTHS = {Frequency.MONTH: 1, Frequency.QUARTER: 3, Frequency.HALF_YEAR: 6}


def period_of(day: date, frequency: str) -> tuple[date, date]:
    """The calendar period (month; quarter from January, April, July, October; half-year from
    January, July) that contains ``day``: its first and last day."""
    months = FREQUENCY_MONTHS[Frequency(frequency)]
    first_month = (day.month - 1) // months * months + 1
    start = date(day.year, first_month, 1)
    next_month = first_month + months
    end = date(day.year + (next_month > 12), (next_month - 1) % 12 + 1, 1) - timedelta(days=1)
    return start, end


class MysteryScheduleQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def of(self, organisation):
        return self.filter(organisation=organisation)


class MysterySchedule(models.Model):
    """A recurring programme: one visit per active salesperson of a team (or of the whole
    organisation) in every period, e.g. every quarter. Each period's plans are generated with
    the period as their window (``observations.schedules.generate_plans``)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="mystery_schedules"
    )
    # Empty: every team of the organisation.
    team = models.ForeignKey(
        Team,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="mystery_schedules",
        verbose_name=_("team"),
    )
    frequency = models.CharField(
        _("how often"), max_length=20, choices=Frequency.choices, default=Frequency.QUARTER
    )
    scenario = models.ForeignKey(
        MysteryScenario,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="schedules",
        verbose_name=_("scenario"),
    )
    starts_on = models.DateField(_("starts on"))
    active = models.BooleanField(_("in use"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MysteryScheduleQuerySet.as_manager()

    class Meta:
        verbose_name = _("mystery-shop schedule")
        verbose_name_plural = _("mystery-shop schedules")
        constraints = [
            date_range_constraint("starts_on", model="mystery_schedule", datetime_field=False)
        ]

    def __str__(self):
        return f"{self.team or self.organisation}: {self.get_frequency_display()}"

    def get_absolute_url(self):
        return reverse("observations:schedule_edit", args=[self.pk])


class PlanStatus(models.TextChoices):
    PLANNED = "PLANNED", _("Planned")
    DONE = "DONE", _("Done")
    EXPIRED = "EXPIRED", _("Expired")
    CANCELLED = "CANCELLED", _("Cancelled")


class MysteryPlanQuerySet(models.QuerySet):
    def with_status(self, status, *, now):
        if status == PlanStatus.CANCELLED:
            return self.filter(cancelled_at__isnull=False)
        if status == PlanStatus.DONE:
            return self.filter(used_at__isnull=False)
        open_plans = self.filter(cancelled_at__isnull=True, used_at__isnull=True)
        if status == PlanStatus.EXPIRED:
            return open_plans.filter(expires_at__lte=now)
        if status == PlanStatus.PLANNED:
            return open_plans.filter(expires_at__gt=now)
        return self

    def overdue(self, *, now):
        """Visits whose window has passed with no test: neither used nor cancelled."""
        return self.with_status(PlanStatus.EXPIRED, now=now)

    def for_teams(self, teams):
        return self.filter(team__in=teams)


class MysteryPlan(models.Model):
    """A planned mystery-shopper visit and its single-use link."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="mystery_plans"
    )
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="mystery_plans", verbose_name=_("team")
    )
    # Empty: any salesperson of the team; the shopper names whom they met.
    salesperson = models.ForeignKey(
        Salesperson,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="mystery_plans",
        verbose_name=_("salesperson"),
    )
    window_start_date = models.DateField(_("visit window from"))
    window_end_date = models.DateField(_("visit window until"))
    expires_at = models.DateTimeField(_("link expires at"), db_index=True)
    shopper_name = models.CharField(_("shopper's name"), max_length=200, blank=True)
    shopper_email = models.EmailField(_("shopper's e-mail"), blank=True)
    instructions = models.TextField(_("instructions for the shopper"), blank=True)
    scenario = models.ForeignKey(
        MysteryScenario,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("scenario"),
    )
    # A plan a schedule generated, for the period that starts on ``period_start``.
    schedule = models.ForeignKey(
        "MysterySchedule",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("schedule"),
    )
    period_start = models.DateField(null=True, blank=True, editable=False)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = MysteryPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("mystery-shop plan")
        verbose_name_plural = _("mystery-shop plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(window_end_date__gte=models.F("window_start_date")),
                name="mystery_plan_window_in_order",
            ),
            date_range_constraint("window_start_date", model="mystery_plan", datetime_field=False),
            date_range_constraint("window_end_date", model="mystery_plan", datetime_field=False),
            # Generating a period twice finds the first one's plans (the backstop of the
            # generator's own check).
            models.UniqueConstraint(
                fields=["schedule", "salesperson", "period_start"],
                condition=Q(schedule__isnull=False),
                name="mystery_plan_once_per_schedule_period",
            ),
        ]

    def __str__(self):
        return f"{self.salesperson or self.team} {self.window_start_date}–{self.window_end_date}"

    def save(self, *args, **kwargs):
        self.expires_at = end_of_day(self.window_end_date)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("observations:plan_detail", args=[self.pk])

    def status_at(self, now) -> str:
        if self.cancelled_at:
            return PlanStatus.CANCELLED
        if self.used_at:
            return PlanStatus.DONE
        if self.expires_at <= now:
            return PlanStatus.EXPIRED
        return PlanStatus.PLANNED

    @property
    def status(self) -> str:
        return self.status_at(timezone.now())

    def get_status_display(self) -> str:
        return PlanStatus(self.status).label

    @property
    def public_path(self) -> str:
        """The shopper's link from the site's root; asiakaskunto.links makes it absolute."""
        return reverse("observations_public:mystery_form", args=[self.token])


class ReviewStatus(models.TextChoices):
    NOT_REQUIRED = "NOT_REQUIRED", _("Counts without review")
    PENDING = "PENDING", _("Waiting for review")
    APPROVED = "APPROVED", _("Approved")
    REJECTED = "REJECTED", _("Rejected")


class MysteryTestQuerySet(models.QuerySet):
    def for_teams(self, teams):
        return self.filter(plan__team__in=teams)

    def waiting_for_review(self):
        return self.filter(review_status=ReviewStatus.PENDING)


class MysteryTest(models.Model):
    """The shopper's completed test; its answers are the core Answers of ``submission``.

    When the organisation reviews tests first, a completed test keeps its answers in
    ``pending_answers`` ([{"question": id, "value": int, "why": str}, …]) and has no
    Submission until it is approved: the scoring engine never sees a test that has not been
    approved. A rejected test keeps its answers there, with the reason, for whoever sees it.
    """

    # One test per plan: the backstop behind the conditional update that uses the link up.
    plan = models.OneToOneField(MysteryPlan, on_delete=models.CASCADE, related_name="test")
    submission = models.OneToOneField(
        Submission, on_delete=models.SET_NULL, null=True, related_name="mystery_test"
    )
    salesperson = models.ForeignKey(
        Salesperson,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="mystery_tests",
    )
    visited_at = models.DateTimeField(_("visited at"))
    description = models.TextField(_("description of the visit"), blank=True)
    salesperson_description = models.CharField(
        _("whom the shopper met"), max_length=200, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    review_status = models.CharField(
        _("review"),
        max_length=20,
        choices=ReviewStatus.choices,
        default=ReviewStatus.NOT_REQUIRED,
        db_default=ReviewStatus.NOT_REQUIRED,
    )
    pending_answers = models.JSONField(default=list, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejecting"), blank=True)

    objects = MysteryTestQuerySet.as_manager()

    class Meta:
        verbose_name = _("mystery-shop test")
        verbose_name_plural = _("mystery-shop tests")
        constraints = [
            date_range_constraint("visited_at", model="mystery_test"),
            models.CheckConstraint(
                condition=~Q(review_status=ReviewStatus.REJECTED) | ~Q(rejection_reason=""),
                name="mystery_test_rejection_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["review_status"], name="mystery_test_review")]

    def __str__(self):
        return f"{self.plan} ({self.visited_at:%Y-%m-%d})"

    @property
    def counts(self) -> bool:
        """Whether the test is evidence the grades read."""
        return self.review_status in (ReviewStatus.NOT_REQUIRED, ReviewStatus.APPROVED)
