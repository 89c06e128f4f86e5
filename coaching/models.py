"""Coaching: seasons (measurement rounds), coaching plans with their goals, the salesperson's
self-assessment, logged coaching sessions and comments.

A goal never stores a progress that someone typed: its score "now" comes from the scoring
engine (``coaching/progress.py``); only the snapshot at the plan's start and the moment a
manager confirmed an achievement the engine showed are stored.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from asiakaskunto.models import Area, Organisation, Question, Salesperson


class SeasonQuerySet(models.QuerySet):
    def of(self, organisation):
        return self.filter(organisation=organisation)

    def overlapping(self, start_date, end_date):
        """Seasons that share at least one day with start_date–end_date (both inclusive)."""
        return self.filter(start_date__lte=end_date, end_date__gte=start_date)

    def current(self, today):
        return self.filter(start_date__lte=today, end_date__gte=today)


class Season(models.Model):
    """A measurement round chosen by leadership, e.g. "Kevät 2027", 1 Jan – 30 Jun, both days
    included. Seasons of one organisation never overlap (checked in ``coaching/seasons.py``)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="seasons")
    name = models.CharField(_("name"), max_length=100)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SeasonQuerySet.as_manager()

    class Meta:
        verbose_name = _("season")
        verbose_name_plural = _("seasons")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="season_dates_in_order"
            ),
            models.UniqueConstraint(
                fields=["organisation", "name"], name="season_name_unique_in_organisation"
            ),
        ]

    def __str__(self):
        return self.name


class PlanStatus(models.TextChoices):
    OPEN = "OPEN", _("Open")
    CLOSED = "CLOSED", _("Closed")


class PlanQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=PlanStatus.OPEN)

    def for_salespeople(self, salespeople):
        return self.filter(salesperson__in=salespeople)


class CoachingPlan(models.Model):
    """A salesperson's coaching plan: goals made from their development targets. At most one
    open plan per salesperson (a database constraint); closed plans are kept and readable."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="coaching_plans"
    )
    salesperson = models.ForeignKey(
        Salesperson,
        on_delete=models.CASCADE,
        related_name="coaching_plans",
        verbose_name=_("salesperson"),
    )
    season = models.ForeignKey(
        Season, on_delete=models.SET_NULL, null=True, blank=True, related_name="plans"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.OPEN
    )
    # The target level the plan was made against (leadership may change it later).
    target_level = models.CharField(_("target level"), max_length=20)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The moment the start scores were taken; evidence after it is "new".
    started_at = models.DateTimeField(_("started at"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("coaching plan")
        verbose_name_plural = _("coaching plans")
        constraints = [
            models.UniqueConstraint(
                fields=["salesperson"],
                condition=Q(status="OPEN"),
                name="coaching_one_open_plan_per_salesperson",
            ),
            models.CheckConstraint(
                condition=Q(status="OPEN") | Q(closed_at__isnull=False),
                name="coaching_closed_plan_has_closed_at",
            ),
        ]
        indexes = [models.Index(fields=["salesperson", "status"], name="coaching_plan_person")]

    def __str__(self):
        return f"{self.salesperson} {self.started_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("coaching:plan", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == PlanStatus.OPEN


class GoalStatus(models.TextChoices):
    OPEN = "OPEN", _("Open")
    ACHIEVED = "ACHIEVED", _("Achieved")
    DROPPED = "DROPPED", _("Dropped")


class Goal(models.Model):
    """One goal of a plan: an area, or one question within it, to bring to ``target_score``
    by ``due_date``. The ``start_*`` fields are the engine's numbers when the goal was set."""

    plan = models.ForeignKey(CoachingPlan, on_delete=models.CASCADE, related_name="goals")
    area = models.CharField(_("area"), max_length=20, choices=Area.choices)
    question = models.ForeignKey(
        Question,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("question"),
        help_text=_("Empty: the goal is the whole area."),
    )
    target_score = models.FloatField(_("target score"))
    due_date = models.DateField(_("due date"))
    actions = models.TextField(_("agreed actions"), blank=True)
    focus = models.BooleanField(_("current focus"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=GoalStatus.choices, default=GoalStatus.OPEN
    )
    set_at = models.DateTimeField(_("set at"))
    start_score = models.FloatField(null=True, blank=True)
    start_n = models.PositiveIntegerField(default=0)
    start_low = models.FloatField(null=True, blank=True)
    start_high = models.FloatField(null=True, blank=True)
    # The latest "why" texts that explained the score when the goal was set:
    # [{"text": ..., "answered_at": ISO 8601, "method": ...}]
    start_whys = models.JSONField(default=list, blank=True)
    achieved_at = models.DateTimeField(null=True, blank=True)
    achieved_score = models.FloatField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    dropped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.CheckConstraint(
                condition=Q(target_score__gte=0, target_score__lte=100),
                name="coaching_goal_target_on_scale",
            ),
            models.CheckConstraint(
                condition=~Q(status="ACHIEVED")
                | Q(achieved_at__isnull=False, achieved_score__isnull=False),
                name="coaching_achieved_goal_has_evidence",
            ),
            models.UniqueConstraint(
                fields=["plan"], condition=Q(focus=True), name="coaching_one_focus_per_plan"
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        if self.question_id:
            return self.question.text
        return str(Area(self.area).label)

    @property
    def choice_value(self) -> str:
        """The goal as the goal forms name it: "Q:<code>" for a question, "AREA:<area>"."""
        return f"Q:{self.question.code}" if self.question_id else f"AREA:{self.area}"

    @property
    def is_open(self) -> bool:
        return self.status == GoalStatus.OPEN


class SelfRating(models.Model):
    """The salesperson's own rating of themself on one question of the bank, given before
    the plan is acknowledged. Kept apart from the evidence: it never enters a grade."""

    plan = models.ForeignKey(CoachingPlan, on_delete=models.CASCADE, related_name="self_ratings")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    value = models.SmallIntegerField(_("rating"))
    rated_at = models.DateTimeField(_("rated at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "question"], name="coaching_rate_once"),
            models.CheckConstraint(
                condition=Q(value__gte=0, value__lte=10), name="coaching_self_rating_range"
            ),
        ]

    def __str__(self):
        return f"{self.question_id}={self.value}"


class CoachingSession(models.Model):
    """A coaching conversation the manager logged: when, which goals, notes, the next step."""

    plan = models.ForeignKey(CoachingPlan, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("date"))
    goals = models.ManyToManyField(Goal, blank=True, related_name="sessions")
    notes = models.TextField(_("notes"), blank=True)
    next_step = models.TextField(_("next step"), blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("coaching session")
        verbose_name_plural = _("coaching sessions")

    def __str__(self):
        return f"{self.plan} {self.held_on}"


class PlanComment(models.Model):
    """A comment on a plan by its salesperson or their manager."""

    plan = models.ForeignKey(CoachingPlan, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return self.text[:50]
