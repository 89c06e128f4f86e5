"""The organisation core (organisations, teams, salespeople, roles), the question bank, and the
evidence every method writes: a Submission (one checklist, one mystery-shop test or one customer
survey) with its Answers. The scoring engine reads all methods through one query on Answer."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .dates import date_range_constraint


def new_token() -> str:
    """An unguessable URL-safe token for a public link: 32 random bytes (256 bits), 43 characters."""
    return secrets.token_urlsafe(32)


class Level(models.TextChoices):
    """Target levels a company can aim for, highest last."""

    HYVA = "HYVA", _("HYVÄ")
    ERINOMAINEN = "ERINOMAINEN", _("ERINOMAINEN")
    IHAN_PARAS = "IHAN_PARAS", _("IHAN PARAS")


class Grade(models.TextChoices):
    """Every grade the engine can give, a target level or one of the two others."""

    IHAN_PARAS = "IHAN_PARAS", _("IHAN PARAS")
    ERINOMAINEN = "ERINOMAINEN", _("ERINOMAINEN")
    HYVA = "HYVA", _("HYVÄ")
    KEHITETTAVAA = "KEHITETTAVAA", _("KEHITETTÄVÄÄ")
    NOT_ENOUGH_DATA = "NOT_ENOUGH_DATA", _("EI RIITTÄVÄSTI TIETOA")


class Role(models.TextChoices):
    LEADERSHIP = "LEADERSHIP", _("Leadership")
    MANAGER = "MANAGER", _("Manager")
    SALESPERSON = "SALESPERSON", _("Salesperson")


class Method(models.TextChoices):
    OBSERVATION = "OBSERVATION", _("Observation")
    MYSTERY_SHOP = "MYSTERY_SHOP", _("Mystery shop")
    CUSTOMER = "CUSTOMER", _("Customer interview")


class Area(models.TextChoices):
    KNOWLEDGE = "KNOWLEDGE", _("Knowledge")
    SKILLS = "SKILLS", _("Skills and readiness")
    ATTITUDE = "ATTITUDE", _("Emotional tone, alertness and understanding")
    LOYALTY = "LOYALTY", _("Customer loyalty")


class Scale(models.TextChoices):
    FIVE_POINT = "FIVE_POINT", _("1–5")
    ELEVEN_POINT = "ELEVEN_POINT", _("0–10")
    YES_PARTLY_NO = "YES_PARTLY_NO", _("yes / partly / no")


SCALE_RANGES = {
    Scale.FIVE_POINT: (1, 5),
    Scale.ELEVEN_POINT: (0, 10),
    Scale.YES_PARTLY_NO: (0, 2),  # 0 = no, 1 = partly, 2 = yes
}


class Metric(models.TextChoices):
    NPS = "NPS", _("NPS")
    CSAT = "CSAT", _("CSAT")
    CES = "CES", _("CES")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    target_level = models.CharField(
        _("target level"), max_length=20, choices=Level.choices, default=Level.ERINOMAINEN
    )
    survey_csat = models.BooleanField(_("ask CSAT in the customer survey"), default=True)
    survey_ces = models.BooleanField(_("ask CES in the customer survey"), default=True)
    survey_free_text = models.BooleanField(_("ask free text in the customer survey"), default=True)
    # A database default too: processes still running the previous code (and migrations of
    # other apps that build an organisation from an older state) insert rows without it.
    require_two_factor_for_leadership = models.BooleanField(
        _("require two-factor sign-in for leadership"),
        default=False,
        db_default=False,
        help_text=_("Leaders without an authenticator app are asked to set one up at login."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class Profile(models.Model):
    """A user's organisation and role. Admins are Django superusers (they see everything)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="profiles"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"


class TeamQuerySet(models.QuerySet):
    def managed_by(self, user):
        return self.filter(managers=user)


class Team(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=200)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="managed_teams",
        blank=True,
        verbose_name=_("managers"),
    )

    objects = TeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="team_name_unique_in_organisation"
            )
        ]

    def __str__(self):
        return self.name


class SalespersonQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def in_teams(self, teams):
        return self.filter(team__in=teams)


class Salesperson(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="salespeople"
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="members", verbose_name=_("team")
    )
    name = models.CharField(_("name"), max_length=200)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="salesperson",
        verbose_name=_("user account"),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SalespersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("salesperson")
        verbose_name_plural = _("salespeople")

    def __str__(self):
        return self.name


# Where space is short (table headers, lists, chart labels) a question's wording is cut to this
# many characters, and the full wording goes into a tooltip (see ``questions.question_text``).
QUESTION_SHORT_CHARS = 40


def shorten(text: str, limit: int = QUESTION_SHORT_CHARS) -> str:
    """``text`` whole when it fits in ``limit`` characters, else cut at the last word boundary
    before it with "…" (the result is at most ``limit`` characters)."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut and not text[limit - 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:?!–-") + "…"


class QuestionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def current(self):
        """The current versions (a version replaced by a newer one is history)."""
        return self.filter(replaced_by__isnull=True)

    def for_organisation(self, organisation):
        return self.filter(organisation=organisation)

    def for_method(self, method):
        return self.filter(method=method).order_by("position", "id")


class Question(models.Model):
    """One question of an organisation's own bank: its method, area, scale and wordings in
    fi/en/sv. Each organisation gets a copy of the default bank when it is created
    (``asiakaskunto.questions.create_default_bank``); the forms ask its active questions
    through ``asiakaskunto.questions.active_questions``.

    Versions: a question keeps its ``code`` for good (the engine groups answers by it). Once a
    question has answers its method, area, metric, scale and existing wordings are frozen: an
    edit of any of them makes a new version (same code, ``version`` + 1) and retires the old one
    (``replaced_by`` points to the new one), so every answer keeps the question it was given
    under, wording included. Filling a wording that was empty, "why" on/off, required, active
    and position change in place (``asiakaskunto.questions.save_question``).
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("organisation"),
    )
    code = models.CharField(_("code"), max_length=20)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    replaced_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="previous_versions",
        verbose_name=_("replaced by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    area = models.CharField(
        _("area"),
        max_length=20,
        choices=Area.choices,
        blank=True,
        help_text=_("Empty for questions that only feed a metric (CSAT, CES)."),
    )
    metric = models.CharField(_("metric"), max_length=10, choices=Metric.choices, blank=True)
    scale = models.CharField(
        _("scale"), max_length=20, choices=Scale.choices, default=Scale.FIVE_POINT
    )
    text_fi = models.CharField(_("wording (Finnish)"), max_length=300)
    text_en = models.CharField(_("wording (English)"), max_length=300)
    text_sv = models.CharField(_("wording (Swedish)"), max_length=300, blank=True)
    asks_why = models.BooleanField(_("asks “why?”"), default=False)
    required = models.BooleanField(_("required"), default=True)
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code", "version"], name="question_version_unique"
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "method", "position"], name="question_org_order")
        ]

    def __str__(self):
        return f"{self.code}: {self.text}"

    # The scale each metric is computed on (DESIGN "Metrics"): NPS 0–10, CSAT and CES 1–5.
    METRIC_SCALES = {
        Metric.NPS: Scale.ELEVEN_POINT,
        Metric.CSAT: Scale.FIVE_POINT,
        Metric.CES: Scale.FIVE_POINT,
    }

    def clean(self):
        """What a question must be for the engine to read it: a metric question (NPS, CSAT,
        CES) is a customer question on the metric's scale; every question feeds an area or a
        metric (else it would count for nothing)."""
        errors = {}
        if self.metric:
            if self.method and self.method != Method.CUSTOMER:
                errors["metric"] = _(
                    "NPS, CSAT and CES are asked from customers: choose the customer survey as "
                    "the method, or no metric."
                )
            needed = self.METRIC_SCALES.get(self.metric)
            if needed and self.scale and self.scale != needed:
                errors["scale"] = _(
                    "%(metric)s is asked on the %(scale)s scale: choose that scale."
                ) % {
                    "metric": Metric(self.metric).label,
                    "scale": Scale(needed).label,
                }
        elif not self.area:
            errors["area"] = _(
                "Choose the area the question measures, or the metric it feeds: otherwise its "
                "answers would count for nothing."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def text(self) -> str:
        """The wording in the active language, Finnish when no other is written."""
        language = (translation.get_language() or "fi")[:2]
        return getattr(self, f"text_{language}", "") or self.text_fi

    @property
    def short_text(self) -> str:
        """The wording in the active language, shortened for places where space is short
        (``shorten``); equal to ``text`` when that fits."""
        return shorten(self.text)

    @property
    def value_range(self) -> tuple[int, int]:
        return SCALE_RANGES[Scale(self.scale)]

    @property
    def choices(self) -> list[tuple[int, str]]:
        """The answer options on this question's scale, lowest first."""
        if self.scale == Scale.YES_PARTLY_NO:
            return [(0, str(_("no"))), (1, str(_("partly"))), (2, str(_("yes")))]
        low, high = self.value_range
        return [(value, str(value)) for value in range(low, high + 1)]


class SubmissionQuerySet(models.QuerySet):
    def in_window(self, start, end):
        return self.filter(answered_at__gte=start, answered_at__lte=end)

    def for_teams(self, teams):
        return self.filter(team__in=teams)


class Submission(models.Model):
    """One piece of evidence that counts: a submitted checklist, mystery-shop test or survey.

    Drafts never become Submissions; each app keeps its own drafts and writes the Submission
    and its Answers in one transaction when the user submits.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="submissions"
    )
    method = models.CharField(max_length=20, choices=Method.choices)
    # Empty when a customer answered through a team link without knowing whom they met.
    salesperson = models.ForeignKey(
        Salesperson, on_delete=models.CASCADE, null=True, blank=True, related_name="submissions"
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="submissions")
    answered_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "answered_at"], name="submission_org_answered"),
            models.Index(fields=["salesperson", "answered_at"], name="submission_person_answered"),
        ]
        constraints = [date_range_constraint("answered_at", model="submission")]

    def __str__(self):
        return f"{self.get_method_display()} {self.answered_at:%Y-%m-%d} ({self.salesperson or self.team})"


class AnswerQuerySet(models.QuerySet):
    def in_window(self, start, end):
        return self.filter(submission__answered_at__gte=start, submission__answered_at__lte=end)

    def for_organisation(self, organisation):
        return self.filter(submission__organisation=organisation)

    def for_teams(self, teams):
        return self.filter(submission__team__in=teams)

    def for_salesperson(self, salesperson):
        return self.filter(submission__salesperson=salesperson)

    def in_question_order(self):
        """With their questions, in the order the form asks them (the bank's position)."""
        return self.select_related("question").order_by("question__position", "question_id")

    def scoring_rows(self):
        """All methods as one table for the scoring engine, in one query.

        Columns: submission, salesperson, team, method, area, question, metric, scale, value,
        answered_at, why — the engine normalises ``value`` to 0–100 with its settings.
        """
        return self.order_by().values_list(
            "submission_id",
            "submission__salesperson_id",
            "submission__team_id",
            "method",
            "area",
            "question__code",
            "metric",
            "scale",
            "value",
            "submission__answered_at",
            "why",
        )


SCORING_COLUMNS = [
    "submission",
    "salesperson",
    "team",
    "method",
    "area",
    "question",
    "metric",
    "scale",
    "value",
    "answered_at",
    "why",
]


# An answer's (method, area, metric, scale) as one small number, ``Answer.kind``: the position of
# each value in these lists (a blank area or metric is position 0), combined as
# method + M·(area + A·(metric + X·scale)); a value outside the lists makes it negative.
ANSWER_KIND_PARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("method", tuple(Method.values)),
    ("area", ("", *Area.values)),
    ("metric", ("", *Metric.values)),
    ("scale", tuple(Scale.values)),
)


def _answer_kind() -> models.Expression:
    kind = None
    for column, values in reversed(ANSWER_KIND_PARTS):
        position = models.Case(
            *(models.When(**{column: v}, then=models.Value(i)) for i, v in enumerate(values)),
            default=models.Value(-1000),
            output_field=models.IntegerField(),
        )
        kind = position if kind is None else position + len(values) * kind
    return kind


class Answer(models.Model):
    """One answer to one question. Method, area, scale and metric are copied from the question
    when answered, so that later edits of the bank never rewrite history.

    ``kind`` holds the four as one small number (ANSWER_KIND_PARTS), kept by the database
    itself: the reports read a million answers as numbers without comparing strings
    (``reports.compute``)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    method = models.CharField(max_length=20, choices=Method.choices)
    area = models.CharField(max_length=20, choices=Area.choices, blank=True)
    metric = models.CharField(max_length=10, choices=Metric.choices, blank=True)
    scale = models.CharField(max_length=20, choices=Scale.choices)
    value = models.SmallIntegerField()
    why = models.TextField(blank=True)
    kind = models.GeneratedField(
        expression=_answer_kind(), output_field=models.IntegerField(), db_persist=True
    )

    objects = AnswerQuerySet.as_manager()

    class Meta:
        # The answers that may explain a gap (a why text of a scored answer): the reports read
        # only these texts (reports.compute ``_Reader._texts``), a sixth of the answers.
        indexes = [
            models.Index(
                fields=["submission"],
                condition=~Q(why="") & ~Q(area=""),
                name="answer_with_why",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "question"], name="answer_once_per_question"
            ),
            models.CheckConstraint(
                condition=(
                    Q(scale=Scale.FIVE_POINT, value__gte=1, value__lte=5)
                    | Q(scale=Scale.ELEVEN_POINT, value__gte=0, value__lte=10)
                    | Q(scale=Scale.YES_PARTLY_NO, value__gte=0, value__lte=2)
                ),
                name="answer_value_on_scale",
            ),
        ]

    def __str__(self):
        return f"{self.question_id}={self.value}"

    @classmethod
    def for_question(cls, question: Question, value: int, why: str = "", **fields) -> "Answer":
        """An unsaved answer with the question's method, area, metric and scale copied."""
        return cls(**cls.fields_for(question, value, why), **fields)

    @staticmethod
    def fields_for(question: Question, value: int, why: str = "") -> dict:
        """An answer's fields by name, with the question's method, area, metric and scale
        copied (for writers that build the rows themselves, e.g. one SQL statement)."""
        return {
            "question": question,
            "method": question.method,
            "area": question.area,
            "metric": question.metric,
            "scale": question.scale,
            "value": value,
            "why": why,
        }


class EmailKind(models.TextChoices):
    """The kinds of e-mail staff get; each can be switched off on its own."""

    FOLLOW_UP_ALERT = "FOLLOW_UP_ALERT", _("Follow-up alerts")
    WEEKLY_DIGEST = "WEEKLY_DIGEST", _("Weekly digest")


class EmailPreference(models.Model):
    """Which e-mails a user wants, and in which language. A user without a row gets every kind,
    in the site's default language (``asiakaskunto.emails.preferences_for``)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preference"
    )
    follow_up_alerts = models.BooleanField(
        _(
            "Follow-up alerts: an e-mail at once when an unhappy customer's answer opens a follow-up"
        ),
        default=True,
    )
    weekly_digest = models.BooleanField(
        _("Weekly digest: your to-do list and your teams' week, on Monday mornings"), default=True
    )
    language = models.CharField(
        _("Language of e-mails"),
        max_length=5,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    updated_at = models.DateTimeField(auto_now=True)

    FIELD_OF_KIND = {
        EmailKind.FOLLOW_UP_ALERT: "follow_up_alerts",
        EmailKind.WEEKLY_DIGEST: "weekly_digest",
    }

    class Meta:
        verbose_name = _("e-mail preference")
        verbose_name_plural = _("e-mail preferences")

    def __str__(self):
        return str(self.user)

    def wants(self, kind: str) -> bool:
        return getattr(self, self.FIELD_OF_KIND[EmailKind(kind)])
