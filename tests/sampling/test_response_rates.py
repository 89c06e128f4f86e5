"""Response rates: a standing link's page views against its answers (counted on GET only),
invitations opened and answered, per batch, per salesperson and on the team dashboard."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sampling.rates import team_rates
from surveys.models import Invitation, LinkDayViews
from tests.factories import Method, submit
from tests.surveys.factories import InvitationFactory, SurveyLinkFactory, survey_post

pytestmark = pytest.mark.django_db


def link_url(link):
    return reverse("surveys_public:link", kwargs={"token": link.token})


def test_each_get_of_a_link_page_counts_one_view_and_answers_count_none(client, org):
    link = SurveyLinkFactory(salesperson=org.seller_a)
    for _ in range(3):
        assert client.get(link_url(link)).status_code == 200
    client.head(link_url(link))
    assert client.post(link_url(link), survey_post()).status_code == 302
    (row,) = LinkDayViews.objects.all()
    assert (row.link_id, row.day, row.views) == (link.pk, timezone.localdate(), 3)


def test_an_invitation_is_marked_opened_once(client, org):
    invitation = InvitationFactory(salesperson=org.seller_a)
    url = reverse("surveys_public:invitation", kwargs={"token": invitation.token})
    client.get(url)
    invitation.refresh_from_db()
    first = invitation.opened_at
    assert first is not None
    client.get(url)
    invitation.refresh_from_db()
    assert invitation.opened_at == first


def test_the_team_rates_per_salesperson_and_link(client, org):
    today = timezone.localdate()
    link = SurveyLinkFactory(salesperson=org.seller_a)
    team_link = SurveyLinkFactory(team=org.team_a)
    LinkDayViews.objects.create(link=link, day=today, views=8)
    LinkDayViews.objects.create(link=link, day=today - timedelta(days=200), views=50)  # too old
    LinkDayViews.objects.create(link=team_link, day=today, views=4)
    for _ in range(2):
        client.post(link_url(link), survey_post(form_key=str(uuid.uuid4())))
    client.post(link_url(team_link), survey_post(salesperson="unknown"))
    now = timezone.now()
    InvitationFactory(salesperson=org.seller_a, opened_at=now, used_at=now)
    InvitationFactory(salesperson=org.seller_a, opened_at=now)
    InvitationFactory(salesperson=org.seller_a)
    InvitationFactory(salesperson=org.seller_b, used_at=now)  # another team
    rates = team_rates(org.team_a, today=today)
    rows = {row["name"]: row for row in rates.people}
    aino = rows["Aino Seller"]
    assert (aino["invitations"].invited, aino["invitations"].opened) == (3, 2)
    assert (aino["invitations"].answered, aino["invitations"].answer_rate) == (1, 33.3)
    assert (aino["link"].views, aino["link"].answers, aino["link"].answer_rate) == (8, 2, 25.0)
    assert rows["Cecilia Colleague"]["link"] is None
    assert (rates.team_link.views, rates.team_link.answers) == (4, 1)
    assert rates.invitations.invited == 3


def test_the_team_dashboard_shows_the_rates_in_bounded_queries(
    client_for, org, django_assert_max_num_queries
):
    link = SurveyLinkFactory(salesperson=org.seller_a)
    LinkDayViews.objects.create(link=link, day=timezone.localdate(), views=8)
    submit(org.seller_a, Method.CUSTOMER, {"CUS1": 4})
    client = client_for(org.manager_a)
    client.get(reverse("reports:team_dashboard", args=[org.team_a.pk]))  # warm the grades
    with django_assert_max_num_queries(40):
        page = client.get(reverse("reports:team_dashboard", args=[org.team_a.pk]))
    html = page.content.decode()
    assert 'data-testid="response-rates"' in html
    assert "Vastausasteet, viimeiset 90 päivää" in html


def test_the_rates_panel_is_a_fixed_number_of_queries(django_assert_num_queries, org):
    for _ in range(5):
        InvitationFactory(salesperson=org.seller_a)
    SurveyLinkFactory(salesperson=org.colleague_a)
    with django_assert_num_queries(5):
        team_rates(org.team_a, today=timezone.localdate())


def test_the_links_page_shows_views_and_answers(client_for, org):
    link = SurveyLinkFactory(salesperson=org.seller_a)
    LinkDayViews.objects.create(link=link, day=timezone.localdate(), views=10)
    Invitation.objects.all().delete()
    page = client_for(org.manager_a).get(reverse("surveys:links")).content.decode()
    assert "Viimeiset 90 päivää: 10 sivunkatselua, 0 vastausta" in page
