"""The coaching pages: who may see and change what, what a post changes, bounded queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from asiakaskunto.models import Method
from coaching import services
from coaching.models import CoachingPlan, CoachingSession, Goal, GoalStatus, PlanComment, Season
from reports.results_cache import mark_stale
from tests.coaching.helpers import weak_evidence
from tests.factories import submit


@pytest.fixture
def plan(org):
    weak_evidence(org.seller_a)
    today = timezone.localdate()
    return services.start_plan(
        org.seller_a,
        [
            services.GoalInput(
                area="SKILLS", question=None, target_score=65, due_date=today + timedelta(days=30)
            ),
            services.GoalInput(
                area="ATTITUDE", question=None, target_score=65, due_date=today + timedelta(days=30)
            ),
        ],
        user=org.manager_a,
        now=timezone.now(),
    )


def test_the_manager_starts_a_plan_from_the_targets(org, client_for):
    weak_evidence(org.seller_a)
    client = client_for(org.manager_a)
    url = reverse("coaching:plan_new", args=[org.seller_a.pk])
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="use_SKILLS"' in body and "Jonotin" in body
    # A date input reads only ISO dates: the default due date (90 days without a season).
    assert f'value="{(timezone.localdate() + timedelta(days=90)).isoformat()}"' in body
    response = client.post(
        url,
        {
            "use_SKILLS": "on",
            "target_SKILLS": "70",
            "due_SKILLS": (timezone.localdate() + timedelta(days=40)).isoformat(),
            "actions_SKILLS": "Kysy tarve ennen tuotetta.",
        },
    )
    plan = CoachingPlan.objects.get(salesperson=org.seller_a)
    assert response.status_code == 302 and response["Location"] == f"/coaching/plans/{plan.pk}/"
    goal = plan.goals.get()
    assert (goal.area, goal.target_score, goal.focus) == ("SKILLS", 70.0, True)
    # A second plan is refused while this one is open: the form sends to the open plan.
    again = client.get(url)
    assert again.status_code == 302 and again["Location"] == f"/coaching/plans/{plan.pk}/"


def test_bad_plan_input_says_what_is_wrong_and_saves_nothing(org, client_for):
    weak_evidence(org.seller_a)
    client = client_for(org.manager_a)
    url = reverse("coaching:plan_new", args=[org.seller_a.pk])
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(url, {"use_SKILLS": "on", "target_SKILLS": "10", "due_SKILLS": past})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Aseta tavoite" in body or "Set the target" in body
    assert not CoachingPlan.objects.exists()
    response = client.post(url, {})
    assert not CoachingPlan.objects.exists()
    assert response.status_code == 200


def test_no_typed_value_makes_a_goal_achieved(org, client_for, plan):
    client = client_for(org.manager_a)
    goal = plan.goals.get(area="SKILLS")
    client.post(
        reverse("coaching:goal_confirm", args=[goal.pk]),
        {"score": "100", "state": "ACHIEVED", "achieved_score": "100", "status": "ACHIEVED"},
    )
    client.post(
        reverse("coaching:goal_edit", args=[goal.pk]),
        {
            "target_score": "1",
            "due_date": goal.due_date.isoformat(),
            "status": "ACHIEVED",
            "achieved_score": "99",
        },
    )
    goal.refresh_from_db()
    assert goal.status == GoalStatus.OPEN and goal.target_score == 65 and goal.achieved_at is None


def test_an_agreed_target_may_be_raised_not_lowered(org, client_for, plan):
    services.acknowledge(plan, now=timezone.now())
    goal = plan.goals.get(area="SKILLS")
    client = client_for(org.manager_a)
    url = reverse("coaching:goal_edit", args=[goal.pk])
    due = goal.due_date.isoformat()
    assert client.post(url, {"target_score": "60", "due_date": due}).status_code == 200
    goal.refresh_from_db()
    assert goal.target_score == 65
    assert (
        client.post(url, {"target_score": "80", "due_date": due, "actions": "x"}).status_code == 302
    )
    goal.refresh_from_db()
    assert goal.target_score == 80 and goal.actions == "x"


def test_the_manager_logs_a_session_and_the_salesperson_acknowledges(org, client_for, plan):
    goal = plan.goals.get(area="SKILLS")
    client = client_for(org.manager_a)
    url = reverse("coaching:session_new", args=[plan.pk])
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert client.post(url, {"held_on": tomorrow, "notes": "x"}).status_code == 200
    assert not CoachingSession.objects.exists()
    today = timezone.localdate().isoformat()
    response = client.post(
        url,
        {"held_on": today, "goals": [goal.pk], "notes": "Harjoiteltiin.", "next_step": "Seuraava"},
    )
    assert response.status_code == 302
    session = CoachingSession.objects.get()
    assert list(session.goals.all()) == [goal]

    seller = client_for(org.seller_a_user)
    page = seller.get(reverse("coaching:plan", args=[plan.pk]))
    assert page.status_code == 200 and "Harjoiteltiin." in page.content.decode()
    seller.post(reverse("coaching:plan_acknowledge", args=[plan.pk]))
    seller.post(reverse("coaching:plan_comment", args=[plan.pk]), {"text": "Sovittu!"})
    plan.refresh_from_db()
    assert plan.acknowledged_at is not None
    assert PlanComment.objects.get().author == org.seller_a_user


def test_the_salesperson_rates_themself(org, client_for, plan):
    client = client_for(org.seller_a_user)
    url = reverse("coaching:self_assessment", args=[plan.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 200  # nothing rated: a message, nothing saved
    assert not plan.self_ratings.exists()
    assert client.post(url, {"q_CUS1": "4", "q_CUS3": "11"}).status_code == 200  # off scale
    assert not plan.self_ratings.exists()
    assert client.post(url, {"q_CUS1": "4", "q_CUS3": "8"}).status_code == 302
    assert plan.self_ratings.count() == 2


# --- Access: every denial -------------------------------------------------------------------


def urls_of(plan, goal):
    return {
        "new": reverse("coaching:plan_new", args=[plan.salesperson_id]),
        "goal_add": reverse("coaching:goal_add", args=[plan.pk]),
        "session": reverse("coaching:session_new", args=[plan.pk]),
        "goal_edit": reverse("coaching:goal_edit", args=[goal.pk]),
        "goal_drop": reverse("coaching:goal_drop", args=[goal.pk]),
        "goal_focus": reverse("coaching:goal_focus", args=[goal.pk]),
        "goal_confirm": reverse("coaching:goal_confirm", args=[goal.pk]),
    }


@pytest.mark.parametrize(
    "name", ["new", "goal_add", "session", "goal_edit", "goal_drop", "goal_focus", "goal_confirm"]
)
@pytest.mark.parametrize(
    "who, status",
    [("manager_b", 404), ("leader", 403), ("seller_a_user", 403), ("seller_b_user", 403)],
)
def test_only_the_own_teams_manager_changes_a_plan(org, client_for, plan, name, who, status):
    goal = plan.goals.get(area="SKILLS")
    url = urls_of(plan, goal)[name]
    client = client_for(getattr(org, who))
    response = client.post(
        url, {"target_score": "90", "due_date": "2030-01-01", "notes": "x", "held_on": "2020-01-01"}
    )
    assert response.status_code == status
    goal.refresh_from_db()
    assert goal.status == GoalStatus.OPEN and goal.target_score == 65 and goal.focus is not None
    assert not CoachingSession.objects.exists() and plan.goals.count() == 2


@pytest.mark.parametrize(
    "who, status",
    [
        ("manager_a", 200),
        ("leader", 200),
        ("seller_a_user", 200),
        ("manager_b", 404),
        ("seller_b_user", 404),
    ],
)
def test_who_reads_a_plan(org, client_for, plan, who, status):
    assert (
        client_for(getattr(org, who)).get(reverse("coaching:plan", args=[plan.pk])).status_code
        == status
    )


@pytest.mark.parametrize(
    "who, status", [("manager_a", 403), ("leader", 403), ("manager_b", 403), ("seller_b_user", 404)]
)
def test_only_the_salesperson_acknowledges_and_self_assesses(org, client_for, plan, who, status):
    client = client_for(getattr(org, who))
    assert client.post(reverse("coaching:plan_acknowledge", args=[plan.pk])).status_code == status
    assert (
        client.post(
            reverse("coaching:self_assessment", args=[plan.pk]), {"q_CUS1": "4"}
        ).status_code
        == status
    )
    plan.refresh_from_db()
    assert plan.acknowledged_at is None and not plan.self_ratings.exists()


@pytest.mark.parametrize(
    "who, status", [("leader", 403), ("manager_b", 404), ("seller_b_user", 404)]
)
def test_only_the_salesperson_and_their_manager_comment(org, client_for, plan, who, status):
    response = client_for(getattr(org, who)).post(
        reverse("coaching:plan_comment", args=[plan.pk]), {"text": "x"}
    )
    assert response.status_code == status
    assert not PlanComment.objects.exists()


def test_the_plan_list_shows_only_visible_plans(org, client_for, plan):
    assert "Aino Seller" in client_for(org.manager_a).get("/coaching/").content.decode()
    assert "Aino Seller" not in client_for(org.manager_b).get("/coaching/").content.decode()
    assert "Aino Seller" not in client_for(org.seller_b_user).get("/coaching/").content.decode()


@pytest.mark.parametrize("who", ["manager_a", "seller_a_user"])
def test_seasons_are_leaderships(org, client_for, who):
    season = Season.objects.create(
        organisation=org.organisation, name="Kevät", start_date="2027-01-01", end_date="2027-06-30"
    )
    client = client_for(getattr(org, who))
    for url in (
        "/coaching/seasons/",
        f"/coaching/seasons/{season.pk}/",
        f"/coaching/seasons/{season.pk}/edit/",
    ):
        assert client.get(url).status_code == 403
    assert (
        client.post(
            "/coaching/seasons/",
            {"name": "X", "start_date": "2028-01-01", "end_date": "2028-02-01"},
        ).status_code
        == 403
    )
    assert Season.objects.count() == 1


def test_leadership_defines_seasons_with_clear_messages(org, client_for):
    client = client_for(org.leader)
    ok = client.post(
        "/coaching/seasons/",
        {"name": "Kevät 2027", "start_date": "2027-01-01", "end_date": "2027-06-30"},
    )
    assert ok.status_code == 302
    bad = client.post(
        "/coaching/seasons/", {"name": "Kesä", "start_date": "2027-06-01", "end_date": "2027-08-31"}
    )
    assert bad.status_code == 200 and "Kevät 2027" in bad.content.decode()
    assert Season.objects.count() == 1
    season = Season.objects.get()
    assert client.get(f"/coaching/seasons/{season.pk}/").status_code == 200


# --- Bounded queries ------------------------------------------------------------------------


def test_pages_make_a_bounded_number_of_queries(
    org, client_for, plan, django_assert_max_num_queries
):
    for i in range(4):
        services.log_session(
            plan,
            held_on=timezone.localdate(),
            goals=plan.goals.all(),
            notes=f"n{i}",
            next_step="",
            user=org.manager_a,
        )
        services.comment(plan, author=org.seller_a_user, text=f"c{i}")
    Season.objects.create(
        organisation=org.organisation,
        name="Kevät",
        start_date=timezone.localdate() - timedelta(days=10),
        end_date=timezone.localdate() + timedelta(days=10),
    )
    client = client_for(org.manager_a)
    client.get(f"/coaching/plans/{plan.pk}/")  # warm the grades' cache
    with django_assert_max_num_queries(25):
        assert client.get(f"/coaching/plans/{plan.pk}/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/coaching/").status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get("/").status_code == 200
    with django_assert_max_num_queries(20):
        assert (
            client.get(reverse("coaching:plan_new", args=[org.colleague_a.pk])).status_code == 200
        )
    leader = client_for(org.leader)
    season = Season.objects.get()
    leader.get(f"/coaching/seasons/{season.pk}/")
    with django_assert_max_num_queries(15):
        assert leader.get(f"/coaching/seasons/{season.pk}/").status_code == 200
    with django_assert_max_num_queries(12):
        assert leader.get("/coaching/seasons/").status_code == 200


def test_a_goal_of_a_closed_plan_cannot_change(org, client_for, plan):
    for goal in plan.goals.all():
        services.drop_goal(goal, now=timezone.now())
    plan.refresh_from_db()
    assert not plan.is_open
    goal = plan.goals.first()
    client = client_for(org.manager_a)
    response = client.post(reverse("coaching:goal_focus", args=[goal.pk]))
    assert response.status_code == 302
    assert not Goal.objects.filter(focus=True).exists()


def test_the_team_page_lists_targets_and_plans_with_a_start_button(org, client_for, plan):
    weak_evidence(org.colleague_a)
    mark_stale(org.organisation.pk)  # the answers' commit would
    page = client_for(org.manager_a).get(reverse("reports:team_dashboard", args=[org.team_a.pk]))
    body = page.content.decode()
    assert f"/coaching/plans/{plan.pk}/" in body  # Aino's open plan
    assert f'data-testid="team-start-plan-{org.colleague_a.pk}"' in body
    leader = client_for(org.leader).get(reverse("reports:team_dashboard", args=[org.team_a.pk]))
    assert "team-start-plan" not in leader.content.decode()  # leadership reads, never starts


def test_the_salesperson_finds_their_acknowledged_plan_at_home(org, client_for, plan):
    client = client_for(org.seller_a_user)
    assert 'data-testid="todo-ACKNOWLEDGE_PLAN"' in client.get("/").content.decode()
    services.acknowledge(plan, now=timezone.now())
    body = client.get("/").content.decode()
    assert 'data-testid="own-plan-panel"' in body and f"/coaching/plans/{plan.pk}/" in body
    assert "own-plan-panel" not in client_for(org.seller_b_user).get("/").content.decode()


def test_the_home_to_do_shows_the_oldest_follow_ups_and_links_the_rest(org, client_for):
    from asiakaskunto.models import Method
    from surveys.models import FollowUp
    from tests.factories import submit

    for day in range(5):
        submission = submit(org.seller_a, Method.CUSTOMER, {"CUS3": 2})
        FollowUp.objects.create(
            organisation=org.organisation, submission=submission, team=org.team_a,
            salesperson=org.seller_a, reason="CUS3=2",
            answered_at=timezone.now() - timedelta(days=day),
        )  # fmt: skip
    body = client_for(org.manager_a).get("/").content.decode()
    panel = body[body.index('data-testid="todo-panel"') :]
    assert panel.count('data-testid="todo-FOLLOW_UP"') == 3
    assert 'data-testid="todo-more-follow-ups"' in panel


def test_goal_choices_name_questions_by_their_wording(org, client_for, plan):
    body = client_for(org.manager_a).get(reverse("coaching:goal_add", args=[plan.pk])).content
    text = body.decode()
    assert "Saitko sen mitä tulit hakemaan?" in text
    assert ">CUS1" not in text and "CUS1:" not in text


def test_a_closed_plan_takes_no_session_acknowledgement_or_comment(org, client_for, plan):
    open_page = client_for(org.seller_a_user).get(reverse("coaching:plan", args=[plan.pk]))
    assert 'data-testid="add-comment"' in open_page.content.decode()
    for goal in plan.goals.all():
        services.drop_goal(goal, now=timezone.now())
    plan.refresh_from_db()
    assert not plan.is_open
    today = timezone.localdate().isoformat()
    manager = client_for(org.manager_a)
    response = manager.post(
        reverse("coaching:session_new", args=[plan.pk]), {"held_on": today, "notes": "Myöhässä"}
    )
    assert response.status_code == 302
    manager.post(reverse("coaching:plan_comment", args=[plan.pk]), {"text": "Vielä yksi"})
    seller = client_for(org.seller_a_user)
    seller.post(reverse("coaching:plan_acknowledge", args=[plan.pk]))
    seller.post(reverse("coaching:plan_comment", args=[plan.pk]), {"text": "Kiitos"})
    plan.refresh_from_db()
    assert plan.acknowledged_at is None
    assert not CoachingSession.objects.exists() and not PlanComment.objects.exists()
    # The closed plan is readable, without a form that would only be refused.
    page = seller.get(reverse("coaching:plan", args=[plan.pk])).content.decode()
    assert 'data-testid="add-comment"' not in page
    assert 'data-testid="add-comment"' not in manager.get(plan.get_absolute_url()).content.decode()


def test_a_lowered_target_must_stay_above_the_score_now(org, client_for, plan):
    """Before the plan is agreed a target may be lowered, but never to or below the engine's
    score now: that would make the goal "achieved" by typing."""
    goal = plan.goals.get(area="SKILLS")
    # New evidence lifts the skills score from 25 to well above it, not to the target 65.
    for i in range(4):
        submit(
            org.seller_a,
            Method.CUSTOMER,
            {"CUS1": 3, "CUS2": 3, "CUS3": 6},
            answered_at=timezone.now() - timedelta(minutes=10 + i),
        )
    mark_stale(org.organisation.pk)
    client = client_for(org.manager_a)
    due = goal.due_date.isoformat()
    response = client.post(
        reverse("coaching:goal_edit", args=[goal.pk]), {"target_score": "30", "due_date": due}
    )
    assert response.status_code == 200
    goal.refresh_from_db()
    assert goal.target_score == 65
    client.post(reverse("coaching:goal_confirm", args=[goal.pk]))
    goal.refresh_from_db()
    assert goal.status == GoalStatus.OPEN
