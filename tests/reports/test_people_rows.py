"""``PeopleRows``: each salesperson's result kept as rows of numbers, made into objects when
read. Whatever is read of it (the objects, a team's rows, a pickled copy, the summaries the
salespeople table uses) says what the engine's result objects say."""

from __future__ import annotations

import pickle
import random

import pytest

from reports.scoring import ScoringSettings, grade
from reports.scoring.grading import PeopleRows, grade_rows

from .test_compute_sums import assert_close
from .test_scoring_reference import T, random_answers

WHYS = ["", "  ", "Ei tervehtinyt", "Kiire", "Ei osannut kertoa takuusta", "Hyvä palvelu"]


def answers_with_whys(seed: int):
    frame = random_answers(seed, people=15)
    rng = random.Random(seed)
    frame["why"] = [rng.choice(WHYS) for _ in range(len(frame))]
    return frame


@pytest.mark.parametrize("seed", range(4))
def test_rows_make_the_same_results_as_the_engine(seed):
    answers, settings = answers_with_whys(seed), ScoringSettings()
    made = grade(answers, settings=settings, as_of=T).people
    rows = grade_rows(answers, settings=settings, as_of=T).people
    assert isinstance(rows, PeopleRows) and isinstance(made, dict)
    assert list(rows) == list(made) and len(rows) == len(made)
    assert any(t.questions and t.questions[0].whys for p in made.values() for t in p.targets)

    # Nothing is made until a result is read: membership, teams and summaries are rows.
    assert all(pk in rows for pk in made) and 10**9 not in rows
    assert rows.get(10**9) is None and rows.get(10**9, "none") == "none"
    with pytest.raises(KeyError):
        rows[10**9]
    assert rows.team_of() == {pk: person.team for pk, person in made.items()}
    summaries = rows.summaries()
    assert rows._made is None

    for pk, person in made.items():
        summary = summaries[pk]
        assert summary["level"] == person.level
        assert summary["provisional"] == person.provisional
        assert summary["index"] == person.index
        assert summary["gap_to_target"] == person.gap_to_target
        assert summary["submissions"] == sum(person.submissions_per_method.values())
        assert summary["reasons"] == tuple(r["code"] for r in person.reasons)
        assert summary["targets"] == tuple(
            (t.area, tuple(q.question for q in t.questions)) for t in person.targets
        )
    assert_close(dict(rows), made)


@pytest.mark.parametrize("seed", range(3))
def test_a_teams_rows_pickled_make_that_teams_results(seed):
    answers, settings = answers_with_whys(seed), ScoringSettings()
    made = grade(answers, settings=settings, as_of=T).people
    rows = grade_rows(answers, settings=settings, as_of=T).people
    teams = {person.team for person in made.values()}
    assert len(teams) > 1
    for team in teams:
        members = [pk for pk, person in made.items() if person.team == team]
        piece = pickle.loads(pickle.dumps(rows.take([*members, 10**9])))
        assert list(piece) == members
        assert_close(dict(piece), {pk: made[pk] for pk in members})
    assert len(rows.take([])) == 0 and dict(rows.take([])) == {}
