"""Response rates: of invitations (sent, opened, answered — per sample batch and per
salesperson) and of standing links (page views against answers). Each function is a fixed
number of queries, whatever the number of rows.

Definitions: *invited* every invitation made; *e-mailed* those whose e-mail went out; *to call*
drawn customers with only a phone (listed for an interview, never sent anything); *opened* the
invitation's page was shown at least once (a mail scanner that opens links counts too);
*answered* its survey was stored (a called customer's interview included). The answer rate is
answered / invited. A link's rate is its answers / its page views (a customer who reloads the
page counts twice; one who answers from a page opened the day before counts once)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, Sum

from surveys.models import Invitation, LinkDayViews, SurveyLink, SurveyResponse

RATE_DAYS = 90


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass(frozen=True)
class InvitationRates:
    invited: int = 0
    emailed: int = 0
    to_call: int = 0
    opened: int = 0
    answered: int = 0

    @property
    def answer_rate(self) -> float | None:
        return percent(self.answered, self.invited)

    @property
    def open_rate(self) -> float | None:
        return percent(self.opened, self.emailed)


@dataclass(frozen=True)
class LinkRates:
    views: int = 0
    answers: int = 0

    @property
    def answer_rate(self) -> float | None:
        return percent(self.answers, self.views)


INVITATION_COUNTS = {
    "invited": Count("id"),
    "emailed": Count("id", filter=Q(sent_at__isnull=False)),
    "to_call": Count("id", filter=Q(email_key="") & ~Q(phone_key="")),
    "opened": Count("id", filter=Q(opened_at__isnull=False)),
    "answered": Count("id", filter=Q(used_at__isnull=False)),
}


def _invitation_rates(invitations, by: str) -> dict:
    return {
        row.pop(by): InvitationRates(**row)
        for row in invitations.order_by().values(by).annotate(**INVITATION_COUNTS)
    }


def batch_rates(batches, *, teams, now=None) -> dict[int, InvitationRates]:
    """{batch id: its rates} over the batches' invitations of these teams (one query)."""
    ids = [batch.pk for batch in batches]
    if not ids:
        return {}
    invitations = Invitation.objects.filter(sample_batch__in=ids, team__in=teams)
    return _invitation_rates(invitations, "sample_batch")


def salesperson_rates_of_batch(batch, *, teams, now=None) -> list[dict]:
    """The batch's rates per salesperson of these teams, by name (one query)."""
    rows = (
        Invitation.objects.filter(sample_batch=batch, team__in=teams)
        .order_by()
        .values("salesperson_id", "salesperson__name")
        .annotate(**INVITATION_COUNTS)
    )
    out = []
    for row in rows:
        name = row.pop("salesperson__name")
        row.pop("salesperson_id")
        out.append({"name": name, "rates": InvitationRates(**row)})
    return sorted(out, key=lambda item: item["name"])


def link_rates(link_ids, *, since: date) -> dict[int, LinkRates]:
    """{link id: views and answers since ``since`` (a local date)} (two queries)."""
    link_ids = list(link_ids)
    if not link_ids:
        return {}
    views = dict(
        LinkDayViews.objects.filter(link__in=link_ids, day__gte=since)
        .order_by()
        .values("link")
        .annotate(n=Sum("views"))
        .values_list("link", "n")
    )
    answers = dict(
        SurveyResponse.objects.filter(link__in=link_ids, submission__answered_at__date__gte=since)
        .order_by()
        .values("link")
        .annotate(n=Count("id"))
        .values_list("link", "n")
    )
    return {
        link_id: LinkRates(views=views.get(link_id, 0) or 0, answers=answers.get(link_id, 0))
        for link_id in link_ids
    }


@dataclass(frozen=True)
class TeamRates:
    """A team's response rates since ``since``: one row per salesperson (their invitations
    and their standing link), and the team link."""

    since: date
    people: list[dict]
    team_link: LinkRates | None
    invitations: InvitationRates


def team_rates(team, *, today: date, days: int = RATE_DAYS) -> TeamRates:
    """The team's rates over the last ``days`` days up to ``today`` (four queries)."""
    since = today - timedelta(days=days - 1)
    people = list(team.members.active().order_by("name", "id").values_list("pk", "name"))
    links = list(
        SurveyLink.objects.filter(
            Q(team=team, salesperson__isnull=True) | Q(salesperson__team=team)
        )
        .order_by()
        .values_list("pk", "salesperson_id")
    )
    rates_of_link = link_rates([pk for pk, _person in links], since=since)
    link_of_person = {person: pk for pk, person in links if person is not None}
    team_link = next((pk for pk, person in links if person is None), None)
    invitations = Invitation.objects.filter(team=team, created_at__date__gte=since)
    by_person = _invitation_rates(invitations, "salesperson")
    rows = [
        {
            "name": name,
            "salesperson_id": pk,
            "invitations": by_person.get(pk, InvitationRates()),
            "link": rates_of_link.get(link_of_person.get(pk)),
        }
        for pk, name in people
    ]
    total = InvitationRates(
        **{
            key: sum(getattr(rates, key) for rates in by_person.values())
            for key in INVITATION_COUNTS
        }
    )
    return TeamRates(
        since=since,
        people=rows,
        team_link=rates_of_link.get(team_link) if team_link else None,
        invitations=total,
    )
