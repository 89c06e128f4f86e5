"""``reports.compute.compute`` (the lean read, one pass for all moments) against the row path
(``compute_rows``: every row read into pandas, then the row engine's ``grade`` and ``trend`` per
moment, the reference): the same levels, provisional marks, reasons, membership, level
distributions, metrics, targets and whys, and every number within 1e-9.

Generated organisations (the strategies' generator of test_scoring_properties) are stored in the
test database — whichever DATABASE_URL names, SQLite or PostgreSQL — and computed both ways:
grades now and at the end of the previous month, and a month-end trend, in one call.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asiakaskunto.models import Answer, Question, Submission
from reports.compute import compute, compute_rows
from reports.scoring import AREAS, METHODS, AnswersError, ScoringSettings, month_end
from tests.factories import OrganisationFactory, SalespersonFactory, TeamFactory
from tests.reports.test_scoring_properties import BANK, random_answers

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 6, 17, 9, 30, 15, 250_000, tzinfo=UTC)
PREVIOUS_END = month_end(date(2025, 5, 1), "Europe/Helsinki")
MONTHS = [date(2024, 12, 1)] + [date(2025, m, 1) for m in range(1, 7)]
TZ = "Europe/Helsinki"


# --- storing a generated table ----------------------------------------------------------------


@pytest.fixture
def world(db):
    """An organisation with salespeople 1–3 and teams 10/20 of the generator, and the bank."""
    return make_world()


@pytest.fixture
def committed_world(transactional_db):
    """``world`` committed for real (no test transaction around it): what a second connection
    sees, as in production."""
    return make_world()


LOW_VALUES = {"FIVE_POINT": 1, "ELEVEN_POINT": 2, "YES_PARTLY_NO": 0}


def with_low_scores(frame: pd.DataFrame, every: int = 1, values=LOW_VALUES) -> pd.DataFrame:
    """``frame`` with every ``every``-th answer of an area given the low value of its scale
    (``values``: below the target level's floor, so that its why text may be shown)."""
    low = (frame["area"] != "") & (np.arange(len(frame)) % every == 0)
    frame.loc[low, "value"] = frame.loc[low, "scale"].map(values)
    return frame


def make_world():
    organisation = OrganisationFactory(name="Summaamo Oy")
    teams = {code: TeamFactory(organisation=organisation, name=f"T{code}") for code in (10, 20)}
    people = {code: SalespersonFactory(team=teams[10], name=f"Myyjä {code}") for code in (1, 2, 3)}
    for method, questions in BANK.items():
        for position, (code, area, metric, scale) in enumerate(questions):
            Question.objects.update_or_create(
                organisation=organisation,
                code=code,
                version=1,
                defaults={
                    "method": method,
                    "area": area,
                    "metric": metric,
                    "scale": scale,
                    "text_fi": code,
                    "text_en": code,
                    "position": 900 + position,
                },
            )
    return organisation, teams, people


def store(world, frame: pd.DataFrame) -> None:
    """Replace the organisation's evidence with the table's rows (one Submission per id)."""
    organisation, teams, people = world
    Submission.objects.filter(organisation=organisation).delete()
    if frame.empty:
        return
    questions = dict(
        Question.objects.filter(organisation=organisation, version=1).values_list("code", "pk")
    )
    firsts = frame.drop_duplicates("submission")
    made = Submission.objects.bulk_create(
        Submission(
            organisation=organisation,
            method=row.method,
            salesperson=None if pd.isna(row.salesperson) else people[int(row.salesperson)],
            team=teams[int(row.team)],
            answered_at=row.answered_at.to_pydatetime(),
        )
        for row in firsts.itertuples()
    )
    ids = dict(zip(firsts["submission"].tolist(), [s.pk for s in made], strict=True))
    Answer.objects.bulk_create(
        Answer(
            submission_id=ids[row.submission],
            question_id=questions[row.question],
            method=row.method,
            area=row.area,
            metric=row.metric,
            scale=row.scale,
            value=int(row.value),
            why=row.why,
        )
        for row in frame.itertuples()
    )


# --- comparing ----------------------------------------------------------------------------------


def assert_close(a, b, path="result"):
    """Equal, floats within 1e-9 (NaN equals NaN), recursing into dataclasses and containers."""
    if dataclasses.is_dataclass(a):
        assert type(a) is type(b), path
        for field in dataclasses.fields(a):
            assert_close(getattr(a, field.name), getattr(b, field.name), f"{path}.{field.name}")
    elif isinstance(a, Mapping):  # a dict, or the lean path's PeopleRows
        assert isinstance(b, Mapping) and list(a) == list(b), (path, list(a), list(b))
        for key in a:
            assert_close(a[key], b[key], f"{path}[{key!r}]")
    elif isinstance(a, list | tuple):
        assert len(a) == len(b), (path, a, b)
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_close(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and not isinstance(b, bool):
        assert isinstance(b, float | int), (path, a, b)
        if math.isnan(a):
            assert math.isnan(b), (path, a, b)
        else:
            assert abs(a - b) <= 1e-9, (path, a, b)
    else:
        assert a == b, (path, a, b)


def assert_frames_close(a: pd.DataFrame, b: pd.DataFrame, name: str) -> None:
    assert list(a.columns) == list(b.columns), name
    assert len(a) == len(b), (name, len(a), len(b))
    for column in a.columns:
        x, y = a[column].to_numpy(), b[column].to_numpy()
        if x.dtype.kind == "f":
            assert np.allclose(x, y, rtol=0, atol=1e-9, equal_nan=True), (name, column)
        else:
            assert (x == y).all(), (name, column, x, y)


def assert_same(organisation, scoring, *, as_of=(NOW, PREVIOUS_END), months=MONTHS, method=None):
    kwargs = dict(scoring=scoring, as_of=list(as_of), trend_months=months, method=method, tz=TZ)
    rows = compute_rows(organisation, **kwargs)
    sums = compute(organisation, **kwargs)
    assert len(sums.grades) == len(rows.grades)
    for expected, got in zip(rows.grades, sums.grades, strict=True):
        assert_close(expected, got)
    if months:
        for name in ("people", "teams", "organisation"):
            assert_frames_close(getattr(rows.trend, name), getattr(sums.trend, name), name)
        assert rows.trend.months == sums.trend.months
        assert rows.trend.as_of == sums.trend.as_of
    else:
        assert sums.trend is None
    return rows


# --- properties ---------------------------------------------------------------------------------

weights = st.sampled_from(
    [
        {},
        {"method_weights": {"MYSTERY_SHOP": 0.0}},
        {"area_weights": {"LOYALTY": 0.0}},
        {"method_weights": {"OBSERVATION": 0.0}, "area_weights": {"SKILLS": 0.0}},
    ]
)
scorings = st.builds(
    lambda half_life, window, least, extra: ScoringSettings(
        half_life_days=half_life,
        window_days=window,
        min_customer_surveys=least,
        min_n_for_metrics=least,
        **extra,
    ),
    st.sampled_from([0.0, 30.0, 180.0]),
    st.sampled_from([60.0, 365.0]),
    st.sampled_from([1, 3, 5]),
    weights,
)
examples = settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@examples
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 60), scoring=scorings)
def test_compute_equals_the_row_path(world, seed, n, scoring):
    frame = random_answers(seed, n, end=NOW, span_days=480)
    store(world, frame)
    assert_same(world[0], scoring)


@examples
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 40), method=st.sampled_from(METHODS))
def test_compute_equals_the_row_path_for_one_method(world, seed, n, method):
    store(world, random_answers(seed, n, end=NOW, span_days=400))
    assert_same(world[0], ScoringSettings(min_methods=1), method=method)


@examples
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 60), part_rows=st.integers(1, 40))
def test_answers_summed_a_part_at_a_time_give_the_same(world, seed, n, part_rows):
    """A large organisation's answers are made into rows and summed a part at a time: parts of
    any size, a submission's answers cut between two parts, give the row path's results
    (targets and whys included)."""
    from reports import compute as C

    frame = with_low_scores(random_answers(seed, n, end=NOW, span_days=480), every=3)
    frame["why"] = [("Kiire", "", "Ei kysynyt")[i % 3] for i in range(len(frame))]
    store(world, frame)
    parts = []
    read = C._Answers.parts

    def counted(self):
        for rows in read(self):
            parts.append(len(rows.unit))
            yield rows

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(C, "PART_ROWS", part_rows)
        patch.setattr(C._Answers, "parts", counted)
        assert_same(world[0], ScoringSettings(min_customer_surveys=1))
    assert all(size <= part_rows for size in parts)
    assert sum(parts) == Answer.objects.filter(submission__organisation=world[0]).count()


@pytest.mark.parametrize("part_rows", [7, 1000])
def test_answers_in_any_order_give_the_same(world, part_rows):
    """The database may send the answers in any order (its storage order): shuffled, so that a
    submission's answers come in several runs, they give the row path's results."""
    from reports import compute as C

    frame = with_low_scores(random_answers(12, 50, end=NOW, span_days=480), every=2)
    frame["why"] = "Ei kysynyt tarpeita"
    store(world, frame)
    rng = np.random.default_rng(3)

    def shuffling(read):
        def shuffled(self, rows=None):
            for columns in read(self, rows):
                if len(columns) == 2:  # the answers' (submission, packed)
                    order = rng.permutation(len(columns[0]))
                    columns = [column[order] for column in columns]
                yield columns

        return shuffled

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(C, "PART_ROWS", part_rows)
        # SQLite's fetched rows; PostgreSQL's ranges of rows (and small ones: several).
        patch.setattr(C._Copied, "columns", shuffling(C._Copied.columns))
        patch.setattr(C._Coded, "columns", shuffling(C._Coded.columns))
        patch.setattr(C, "CHUNK_SUBMISSIONS", 7)
        rows = assert_same(world[0], ScoringSettings(min_customer_surveys=1))
    assert any(q.whys for t in rows.grades[0].organisation.targets for q in t.questions)


@pytest.mark.parametrize("chunk", [1, 4, 1000])
def test_answers_read_in_ranges_of_submissions_give_the_same(world, chunk):
    """PostgreSQL reads the answers a range of submission ids at a time (``_Reader._coded``):
    ranges of one submission, ranges that hold none (ids left by deleted submissions) and one
    range for all give the row path's results, whys included."""
    from reports import compute as C

    frame = with_low_scores(random_answers(21, 60, end=NOW, span_days=420), every=3)
    frame["why"] = "Ei kuunnellut"
    store(world, frame)
    ids = sorted(Submission.objects.filter(organisation=world[0]).values_list("pk", flat=True))
    Submission.objects.filter(pk__in=ids[10:30]).delete()  # a gap of twenty ids
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(C, "CHUNK_SUBMISSIONS", chunk)
        rows = assert_same(world[0], ScoringSettings(min_customer_surveys=1))
    assert any(q.whys for t in rows.grades[0].organisation.targets for q in t.questions)


def test_a_range_s_row_of_strung_int8s_reads_back():
    """A range's binary COPY of ``string_agg(…send(…), '')`` columns (``_strung_columns``,
    ``_Coded``): the submissions' columns and the answers' (each submission's id repeated for
    each of its codes) back as native int64s, NULL (no rows) as none, only one method's codes
    when asked; anything else is refused, not misread."""
    import struct
    import tempfile

    from reports.compute import _PG_EPOCH_US, _Coded, _strung_columns

    header = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)

    def row(*fields):
        out = header + struct.pack(">h", len(fields))
        for field in fields:
            out += struct.pack(">i", -1) if field is None else struct.pack(">i", len(field)) + field
        return out + struct.pack(">h", -1)

    def spooled(data):
        spool = tempfile.TemporaryFile()
        spool.write(b"earlier" + data)
        return spool

    def strung(values):
        return b"".join(struct.pack(">q", v) for v in values)

    values = [1, -1, 2**40 + 5, 0]
    data = row(strung(values), strung(values[::-1]))
    columns = _strung_columns(spooled(data), 7, 7 + len(data))
    assert [count for _, count in columns] == [4, 4]
    data = row(strung(values), None)
    assert _strung_columns(spooled(data), 7, 7 + len(data))[1][1] == 0
    for bad, message in (
        (row(strung(values)[:-1]), "whole int8s"),
        (row(strung(values))[:-2] + struct.pack(">h", 2), "layout"),
        (b"PGCOPY\n\xfe" + row(strung(values))[8:], "header"),
    ):
        with pytest.raises(ValueError, match=message):
            _strung_columns(spooled(bad), 7, 7 + len(bad))

    # Three submissions (the second without answers): id, unit key, team · 4 + method, time
    # (µs since 2000), how many codes, the codes (kind 0: observation, 1: mystery shop).
    def code(question, kind, value):
        return question * 4096 + kind * 16 + value

    codes = [code(5, 0, 3), code(9, 0, 4), code(5, 1, 2)]
    submissions = [
        strung([7, 8, 2**33]),
        strung([11, -3, 12]),
        strung([3 * 4 + 0, 3 * 4 + 3, 4 * 4 + 1]),
        strung([0, 10, 2**45]),
        strung([2, 0, 1]),
    ]
    data = row(*submissions, strung(codes))
    spool = spooled(data)
    coded = _Coded([(spool, [(0, _strung_columns(spool, 7, 7 + len(data)))])], None)
    sid, key, team, method, at = coded.submissions()
    assert sid.tolist() == [7, 8, 2**33] and key.tolist() == [11, -3, 12]
    assert team.tolist() == [3, 3, 4] and method.tolist() == [0, -1, 1]
    assert at.tolist() == [(us + _PG_EPOCH_US) * 1000 for us in (0, 10, 2**45)]
    parts = list(coded.columns(2))
    assert [len(part[0]) for part in parts] == [2, 1]
    a_sub, packed = (np.concatenate(c) for c in zip(*parts, strict=True))
    assert a_sub.dtype == np.int64 and a_sub.tolist() == [7, 7, 2**33]
    assert packed.tolist() == codes
    mystery = _Coded([(spool, [(0, _strung_columns(spool, 7, 7 + len(data)))])], "MYSTERY_SHOP")
    assert [c.tolist() for c in next(mystery.columns())] == [[2**33], [codes[2]]]
    coded.close()
    for bad in (
        row(*submissions[:4], strung([2, 0, 2]), strung(codes)),  # more counted than sent
        row(*submissions[:4], strung([2, 0]), strung(codes)),  # a column too short
    ):
        spool = spooled(bad)
        with pytest.raises(ValueError, match="Unexpected"):
            chunk = _Coded([(spool, [(0, _strung_columns(spool, 7, 7 + len(bad)))])], None)
            list(chunk.columns())


# --- the cases named one by one -----------------------------------------------------------------


def edge_frame() -> pd.DataFrame:
    """200 submissions, with answers exactly on window edges: on NOW, on NOW − 365 days, on the
    previous month's end and a µs after, on a month end's window start; a salesperson who moved
    team; two submissions of one person at the same moment in different teams (the larger id
    decides); answers without salesperson."""
    frame = random_answers(5, 200, end=NOW, span_days=500)
    edges = [
        NOW,
        NOW - timedelta(days=365),
        PREVIOUS_END,
        PREVIOUS_END + timedelta(microseconds=1),
        month_end(date(2025, 2, 1), TZ) - timedelta(days=365),
        month_end(date(2025, 3, 1), TZ),
    ]
    subs = frame["submission"].drop_duplicates().tolist()
    moments = dict(zip(subs[: len(edges)], edges, strict=True))
    # A tie: the next two submissions of person 1, same moment, teams 10 then 20.
    tie = frame[(frame["salesperson"] == 1) & ~frame["submission"].isin(moments)]
    tie_subs = tie["submission"].drop_duplicates().tolist()[:2]
    for sid in tie_subs:
        moments[sid] = PREVIOUS_END - timedelta(days=3)
    frame.loc[frame["submission"] == tie_subs[0], "team"] = 10
    frame.loc[frame["submission"] == tie_subs[1], "team"] = 20
    frame["answered_at"] = _with_moments(frame, moments)
    return frame


def _with_moments(frame: pd.DataFrame, moments: dict) -> pd.Series:
    out = frame["answered_at"].copy()
    for sid, moment in moments.items():
        out[frame["submission"] == sid] = pd.Timestamp(moment)
    return out


@pytest.mark.parametrize(
    "scoring",
    [
        ScoringSettings(),
        ScoringSettings(half_life_days=0.0, window_days=90.0),
        ScoringSettings(min_customer_surveys=1, min_methods=1, min_n_for_metrics=50),
        ScoringSettings(method_weights={"CUSTOMER": 0.0}, area_weights={"ATTITUDE": 0.0}),
    ],
    ids=["default", "half-life 0", "few for metrics", "weights 0"],
)
def test_window_edges_ties_moves_and_team_links(world, scoring):
    frame = edge_frame()
    store(world, frame)
    rows = assert_same(world[0], scoring, as_of=(NOW, PREVIOUS_END, NOW - timedelta(days=365)))
    now = rows.grades[0]
    # The case is what it says: people graded, teams pooled, team-link answers present.
    assert now.people and now.teams
    assert frame["salesperson"].isna().any()


def test_targets_and_their_whys_are_the_same(world):
    """Low scores with why texts (also blank ones and ones of only spaces) on a few questions:
    the development targets, their questions and up to three whys each agree."""
    frame = with_low_scores(
        random_answers(8, 120, end=NOW, span_days=300),
        values={"FIVE_POINT": 2, "ELEVEN_POINT": 3, "YES_PARTLY_NO": 0},
    )
    texts = ["Joutui odottamaan", "  ", "", "Ei tuntenut tuotetta ", "hidas"]
    frame["why"] = [texts[i % len(texts)] for i in range(len(frame))]
    store(world, frame)
    rows = assert_same(world[0], ScoringSettings(min_customer_surveys=1))
    targets = [t for g in rows.grades[0].people.values() for t in g.targets]
    assert targets and any(q.whys for t in targets for q in t.questions)


def test_a_why_of_only_white_space_of_any_kind_is_blank_in_the_lean_read_too(world):
    """A why of only tabs, line breaks or Unicode spaces is no why in the lean read either,
    and the texts shown are stripped as in the row path."""
    frame = with_low_scores(random_answers(9, 40, end=NOW, span_days=200))
    blank = ["\t\n", "\u00a0\u3000", " \u2003\u202f ", "\r\x0b\x0c\x1c\x85"]
    texts = [*blank, "\u00a0Ei tervehtinyt\u3000", *blank, "Kiire\n"]
    frame["why"] = [texts[i % len(texts)] for i in range(len(frame))]
    store(world, frame)
    rows = assert_same(world[0], ScoringSettings(min_customer_surveys=1))
    shown = {
        why.text
        for g in rows.grades[0].people.values()
        for t in g.targets
        for q in t.questions
        for why in q.whys
    }
    assert shown == {"Ei tervehtinyt", "Kiire"}


def test_an_empty_organisation_and_only_a_trend(world):
    store(world, random_answers(1, 0))
    assert_same(world[0], ScoringSettings())
    store(world, random_answers(2, 30, end=NOW))
    assert_same(world[0], ScoringSettings(), as_of=())
    assert_same(world[0], ScoringSettings(), months=[])


def test_a_submission_without_answers_is_no_evidence(world):
    """A submission whose answers were all left out counts for nothing, as in the row path
    (which never sees it): not a submission, and no team membership."""
    frame = random_answers(3, 30, end=NOW, span_days=200)
    store(world, frame)
    organisation, teams, people = world
    Submission.objects.create(
        organisation=organisation,
        method="CUSTOMER",
        salesperson=people[1],
        team=teams[20],
        answered_at=NOW - timedelta(hours=1),
    )
    # Person 1's latest submission is the empty one in team 20: membership stays by the answers.
    rows = assert_same(organisation, ScoringSettings(min_customer_surveys=1))
    latest = frame[frame["salesperson"] == 1].sort_values("answered_at")["team"]
    if len(latest) and people[1].pk in rows.grades[0].people:
        expected_team = teams[int(latest.iloc[-1])].pk
        assert rows.grades[0].people[people[1].pk].team == expected_team


def test_only_this_organisations_answers_count(world):
    store(world, random_answers(4, 40, end=NOW))
    other = OrganisationFactory(name="Muu Oy")
    team = TeamFactory(organisation=other, name="Muu")
    seller = SalespersonFactory(team=team, name="Muu myyjä")
    submission = Submission.objects.create(
        organisation=other, method="CUSTOMER", salesperson=seller, team=team, answered_at=NOW
    )
    question = Question.objects.filter(organisation=other, code="CUS1").first()
    Answer.objects.create(
        submission=submission, question=question, method="CUSTOMER", area="SKILLS",
        scale="FIVE_POINT", value=1,
    )  # fmt: skip
    rows = assert_same(world[0], ScoringSettings())
    assert seller.pk not in rows.grades[0].people


def test_interleaved_organisations_read_by_range_or_by_join_give_the_same(world):
    """The answers are read by the span's submission id range when the organisation holds at
    least half of those ids, else joined to the submissions (``_Reader._answers_query``). Here
    a small organisation's submissions lie scattered among a large one's: the small one is read
    by the join, the large one by a range that holds the small one's answers too; both give
    the row path's results."""
    from reports import compute as C
    from reports.scoring import engine as E
    from reports.scoring.grading import as_of_ns

    small = random_answers(11, 12, end=NOW, span_days=300)
    large = random_answers(12, 120, end=NOW, span_days=300)
    texts = ["Ei tervehtinyt", "", "Kiire", "   ", "Ei osannut neuvoa"]
    for frame in (small, large):
        frame["why"] = [texts[i % len(texts)] for i in range(len(frame))]
    store(world, small)
    world_large = make_world()
    store(world_large, large)
    # Interleave: re-create every small-organisation submission with ten of the large one's
    # after each (ids follow creation order), then delete the originals.
    small_subs = list(Submission.objects.filter(organisation=world[0]).order_by("pk"))
    large_subs = list(Submission.objects.filter(organisation=world_large[0]).order_by("pk"))
    originals = [s.pk for s in small_subs + large_subs]

    def recreate(submission):
        answers = list(submission.answers.all())
        submission.pk = None
        submission._state.adding = True
        submission.save()
        for answer in answers:
            answer.pk, answer.submission = None, submission
        Answer.objects.bulk_create(answers)

    for index, submission in enumerate(small_subs):
        recreate(submission)
        for moved in large_subs[index * 10 : index * 10 + 10]:
            recreate(moved)
    Submission.objects.filter(pk__in=originals).delete()
    small_ids = sorted(s.pk for s in small_subs)
    large_ids = sorted(s.pk for s in large_subs)
    assert len(small_ids) == 12 and len(large_ids) == 120
    assert large_ids[0] < small_ids[1] and small_ids[-2] < large_ids[-1]  # interleaved

    scoring = ScoringSettings()
    windows = E.make_windows(np.array([as_of_ns(NOW), as_of_ns(PREVIOUS_END)]), scoring)
    shapes = {}
    for name, organisation in (("small", world[0]), ("large", world_large[0])):
        reader = C._Reader(C.connections["default"], organisation.pk, None, scoring)
        span, _graded = reader._spans(windows, None)
        shapes[name] = "JOIN" in reader._answers_query(windows, span)[0]
        reader.close()
    assert shapes == {"small": True, "large": False}
    # The why texts' query (``_Reader._texts``) chooses the same way.
    for organisation, joined in ((world[0], True), (world_large[0], False)):
        with CaptureQueriesContext(C.connections["default"]) as queries:
            rows = assert_same(organisation, scoring)
        (texts_sql,) = [
            q["sql"] for q in queries if "a.why <> ''" in q["sql"] and "q.code" in q["sql"]
        ]
        assert ("JOIN" in texts_sql) == joined
    targets = [t for t in rows.grades[0].organisation.targets]
    assert any(q.whys for t in targets for q in t.questions)


def test_a_scale_narrowed_by_the_settings_is_refused_as_in_the_row_path(world):
    store(world, random_answers(6, 20, end=NOW, span_days=100))
    narrowed = ScoringSettings(linear_scales={"FIVE_POINT": (2.0, 5.0)})
    organisation = world[0]
    if not Answer.objects.filter(scale="FIVE_POINT", value=1).exists():
        pytest.skip("no answer 1 on a five-point scale in this table")
    kwargs = dict(scoring=narrowed, as_of=[NOW], tz=TZ)
    with pytest.raises(AnswersError):
        compute_rows(organisation, **kwargs)
    with pytest.raises(AnswersError):
        compute(organisation, **kwargs)


def test_no_query_per_salesperson(world, django_assert_max_num_queries):
    store(world, random_answers(9, 80, end=NOW))
    with django_assert_max_num_queries(12):
        compute(world[0], scoring=ScoringSettings(), as_of=[NOW, PREVIOUS_END], trend_months=MONTHS)


def test_generated_areas_and_methods_cover_the_engine():
    """The generator's bank reaches every area and method, so the properties above see them."""
    areas = {q[1] for qs in BANK.values() for q in qs} - {""}
    assert areas == set(AREAS) and set(BANK) == set(METHODS)


def test_answers_to_two_versions_of_a_question_count_as_one_question(world):
    """A question edited after it had answers has a new version (a new row, the same code):
    both paths group the answers by the code."""
    organisation = world[0]
    frame = random_answers(12, 80, end=NOW, span_days=300)
    store(world, frame)
    old = Question.objects.get(organisation=organisation, code="CUS1", version=1)
    new = Question.objects.create(
        organisation=organisation, code="CUS1", version=2, method="CUSTOMER", area="SKILLS",
        scale="FIVE_POINT", text_fi="CUS1 v2", text_en="CUS1 v2",
    )  # fmt: skip
    moved = Answer.objects.filter(question=old).order_by("pk")[::2]
    Answer.objects.filter(pk__in=[a.pk for a in moved]).update(question=new)
    rows = assert_same(organisation, ScoringSettings(min_customer_surveys=1))
    codes = [q.question for q in rows.grades[0].organisation.questions]
    assert codes.count("CUS1") == 1


def test_the_read_on_a_second_connection_gives_the_same(committed_world, monkeypatch):
    """Outside a transaction on PostgreSQL the lean read takes the why texts on a connection
    of their own in a thread while two more read the submissions' ranges with their answers'
    codes: the same results (and membership is found in a thread beside the sums, anywhere)."""
    import threading

    from django.db import connection

    from reports import compute as C

    monkeypatch.setattr(C, "CHUNK_SUBMISSIONS", 10)  # 90 submissions: nine ranges

    started = []

    class Spy(threading.Thread):
        def start(self):
            started.append(self.name)
            super().start()

    monkeypatch.setattr(threading, "Thread", Spy)
    store(committed_world, random_answers(11, 90, end=NOW, span_days=400))
    assert not connection.in_atomic_block
    assert_same(committed_world[0], ScoringSettings(min_customer_surveys=1))
    reads = ["reports-read"] * 3 if connection.vendor == "postgresql" else []
    assert sorted(started) == sorted([*reads, "reports-compute"])


def test_people_of_the_first_moments_only(world):
    """``people_moments=1`` (what a stored result keeps): the later moment has no salespeople's
    results, and its teams and organisation are the same as with them."""
    store(world, random_answers(5, 60, end=NOW, span_days=400))
    scoring = ScoringSettings(min_customer_surveys=1)
    kwargs = dict(scoring=scoring, as_of=[NOW, PREVIOUS_END], trend_months=MONTHS, tz=TZ)
    whole = compute(world[0], **kwargs)
    lean = compute(world[0], **kwargs, people_moments=1)
    assert lean.grades[0].people and lean.grades[0].people.keys() == whole.grades[0].people.keys()
    assert whole.grades[1].people and lean.grades[1].people == {}
    assert_close(whole.grades[1].teams, lean.grades[1].teams)
    assert_close(whole.grades[1].organisation, lean.grades[1].organisation)
    assert lean.grades[1].organisation.member_count == len(whole.grades[1].people)


def test_unique_values_is_numpy_s_unique():
    from reports.scoring.engine import unique_values

    rng = np.random.default_rng(4)
    for values in (
        rng.integers(0, 3 * 10**16, 5000),
        rng.integers(-5, 5, 1000),
        np.array([], dtype=np.int64),
        np.array([7]),
        rng.integers(-(2**31), 2**31 - 1, 100).astype(np.int32),
        rng.integers(10**12, 10**12 + 50, 3000),
        rng.integers(0, 200, 300).astype(np.uint8),
        rng.integers(-20000, 20000, 50000).astype(np.int16),
        np.array([-128, 127, 0, -1], dtype=np.int8),
    ):
        unique = unique_values(values)
        assert np.array_equal(unique, np.unique(values)) and unique.dtype == values.dtype


@pytest.mark.parametrize("spread", [1, 3, 1000])
def test_positions_of_submission_ids_by_table_or_search(spread):
    """``_Positions``: a table by id for dense ids, a binary search otherwise; both say where
    each id stands and whether it is there, as ``find_sorted``, for ids outside too."""
    from reports.compute import _Positions
    from reports.scoring.engine import find_sorted

    rng = np.random.default_rng(spread)
    ids = np.unique(rng.integers(50, 50 + 400 * spread, 400))
    find = _Positions(ids)
    assert (find.table is not None) == (spread < 3)
    needles = rng.integers(0, 100 + 400 * spread, 2000)
    position, found = find(needles)
    want_position, want_found = find_sorted(ids, needles)
    assert np.array_equal(found, want_found)
    assert np.array_equal(position[found], want_position[want_found])
    assert position.min() >= 0
    empty = _Positions(ids[:0])(needles)
    assert not empty[1].any()


def test_answers_whose_submissions_went_while_reading_are_left_out(world, monkeypatch):
    """SQLite reads the submissions apart from the answers (PostgreSQL reads them together, and
    the why texts apart): answers, and why texts, whose submissions are not among those read
    (deleted between the queries) are no evidence, and nothing fails."""
    from reports import compute as C

    frame = with_low_scores(
        random_answers(8, 40, end=NOW, span_days=300),
        values={"FIVE_POINT": 1, "ELEVEN_POINT": 0, "YES_PARTLY_NO": 0},
    )
    frame["why"] = "Joutui odottamaan"
    store(world, frame)
    read, read_coded = C._Reader._submissions, C._Coded.submissions

    def none_left(self, windows, connection):
        return [column[:0] for column in read(self, windows, connection)]

    monkeypatch.setattr(C._Reader, "_submissions", none_left)
    monkeypatch.setattr(
        C._Coded, "submissions", lambda self: [column[:0] for column in read_coded(self)]
    )
    computed = compute(world[0], scoring=ScoringSettings(), as_of=[NOW], tz=TZ)
    assert computed.grades[0].people == {} and computed.grades[0].teams == {}


def test_find_sorted_says_where_and_whether():
    from reports.scoring.engine import find_sorted

    position, found = find_sorted(np.array([2, 5, 9]), np.array([5, 1, 9, 12]))
    assert found.tolist() == [True, False, True, False]
    assert position[found].tolist() == [1, 2]
    position, found = find_sorted(np.array([], dtype=np.int64), np.array([3]))
    assert found.tolist() == [False]


@pytest.mark.parametrize("whole_us", [True, False])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_membership_is_the_team_of_the_latest_submission_in_the_window(whole_us, seed):
    """``membership`` (by µs keys when the times are whole µs, else by ranks) against its
    definition one person and one moment at a time: the team of the latest submission with
    T − window ≤ time ≤ T, ties by the larger id; −1 when none. Times on the edges and ties."""
    from types import SimpleNamespace

    from reports.scoring.engine import NS_PER_DAY, membership, window_bounds

    rng = np.random.default_rng(seed)
    scoring = ScoringSettings()
    day = NS_PER_DAY
    n_p, n_sub = 6, 300
    as_of = np.sort(rng.integers(400, 900, 5)) * day + rng.integers(0, day, 5) // 1000 * 1000
    starts, ends = window_bounds(as_of, scoring)
    at = rng.integers(0, 1000, n_sub) * day + rng.integers(0, day, n_sub) // 1000 * 1000
    edges = np.concatenate([starts, ends, starts - 1000, ends + 1000, ends - 1000])
    at[: len(edges)] = edges
    at[len(edges) : len(edges) + 20] = at[len(edges) + 20 : len(edges) + 40]  # ties
    if not whole_us:
        at[-5:] += 7
    unit = rng.integers(0, n_p + 2, n_sub)  # ≥ n_p: team links, not people
    team = rng.integers(0, 4, n_sub)
    as_of = np.append(as_of, at.max() + 10 * day)  # after every submission
    starts, ends = window_bounds(as_of, scoring)
    prep = SimpleNamespace(n_people=n_p, sub_unit=unit, sub_at_ns=at, sub_team=team)
    got = membership(prep, as_of, scoring)
    for k in range(len(as_of)):
        for p in range(n_p):
            mine = [
                (int(at[i]), i) for i in range(n_sub)
                if unit[i] == p and starts[k] <= at[i] <= ends[k]
            ]  # fmt: skip
            assert got[k, p] == (team[max(mine)[1]] if mine else -1)


def test_a_failing_range_stops_the_read_with_its_own_error(world, monkeypatch):
    """A range of the answers' read that fails (here a query the database refuses) stops the
    computation with that error, not one that only follows from it (the transaction it left
    aborted), and leaves no reading thread behind: in a transaction (each range on this
    connection in turn) ..."""
    assert_a_failing_range_stops_the_read(world, monkeypatch, threads=False)


def test_a_failing_range_on_a_connection_of_its_own_stops_the_read_too(
    committed_world, monkeypatch
):
    """... and outside one (the ranges on connections of their own, in threads)."""
    assert_a_failing_range_stops_the_read(committed_world, monkeypatch, threads=True)


def assert_a_failing_range_stops_the_read(world, monkeypatch, threads: bool) -> None:
    import contextlib
    import threading

    from django.db import DatabaseError, connection, transaction

    from reports import compute as C

    if connection.vendor != "postgresql":
        pytest.skip("the answers come in ranges on PostgreSQL only")
    assert connection.in_atomic_block != threads
    store(world, random_answers(13, 60, end=NOW, span_days=400))
    monkeypatch.setattr(C, "CHUNK_SUBMISSIONS", 10)
    spool, started = C._spool_chunks, []

    def failing(query, params, ranges, connection):
        started.append(threading.current_thread().name)
        if ranges and ranges[0][0] == 1:  # the second range and those after it on its connection
            query = query.replace("int8send(CAST(s.id AS BIGINT))", "int8send(s.id / 0)")
        return spool(query, params, ranges, connection)

    monkeypatch.setattr(C, "_spool_chunks", failing)
    # (In the test's transaction a savepoint, so that the test can go on after the error.)
    inside = contextlib.nullcontext() if threads else transaction.atomic()
    with pytest.raises(DatabaseError, match="division by zero"), inside:
        C.compute(world[0], scoring=ScoringSettings(), as_of=[NOW])
    assert len(started) == 2
    assert all((name == "reports-read") == threads for name in started)
    assert not [t for t in threading.enumerate() if t.name == "reports-read"]
