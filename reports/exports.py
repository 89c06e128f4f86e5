"""The CSV and Excel exports: the raw answers of a filter, and the grades table as of a moment.

- Numbers are the page's: scores rounded with `reports.dashboards.rounded` (one decimal), metrics
  withheld below the organisation's minimum n, exactly as the salesperson's page shows them.
- CSV: UTF-8 with a byte order mark (so that Excel reads "ä" and "ö" right), comma as the
  separator and a point as the decimal mark — the form every spreadsheet and script reads;
  a Finnish Excel opens it through Data → From Text/CSV. Excel files of answers are
  limited to XLSX_MAX_ANSWERS rows (they cannot stream); CSV has no limit.
- Texts come from strangers (the customers' "why"), so a text cell that starts with = + − @
  (or a tab or carriage return) gets an apostrophe in front: no cell ever runs as a formula.
- Large exports never sit in memory: the answers come from the database in chunks
  (`.iterator`), CSV is streamed row batch by row batch, and Excel is written by openpyxl's
  write-only workbook into a temporary file that spills to disk.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import islice
from tempfile import SpooledTemporaryFile
from typing import Any

import numpy as np
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from asiakaskunto.models import Answer, Question

from .dashboards import area_label, level_label, rounded
from .person import method_label, reason_texts, reasons_of
from .scoring import AREAS, METHODS, SCALES, Grades, ScoringSettings, normalise

CSV_BOM = "\ufeff"
CHUNK_SIZE = 5_000
CSV_BATCH_ROWS = 1_000
# openpyxl builds about 3,000–5,000 rows a second on the reference machine, and the file is
# only sent when it is complete: beyond this many answers, the export asks for CSV (which
# streams) or a shorter period, so that no request runs into the worker's timeout.
XLSX_MAX_ANSWERS = 50_000
XLSX_MEMORY_BYTES = 16 * 1024 * 1024
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """A text cell that a spreadsheet would read as a formula, made plain with an apostrophe."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


# --- the answers ---------------------------------------------------------------------------


def answer_header() -> list[str]:
    return [
        _("Answered at"),
        _("Team"),
        _("Salesperson"),
        _("Method"),
        _("Area"),
        _("Question code"),
        _("Question"),
        _("Value"),
        _("Score 0–100"),
        _("Why"),
        _("Customer's free text (whole survey)"),
        _("Interviewed by"),
    ]


def scores_of(scales: list[str], values: list[int], settings: ScoringSettings) -> list:
    """The answers normalised to 0–100 by the engine itself (``reports.scoring.normalise``,
    DESIGN rule 1, with the organisation's settings), one decimal; None for a value the engine
    cannot score."""
    codes = np.array([SCALE_CODES.get(scale, -1) for scale in scales], dtype=np.int64)
    raw = np.array(values, dtype=float)
    return [rounded(score) for score in normalise(codes, raw, settings).tolist()]


def score_of(scale: str, value: int, settings: ScoringSettings) -> float | None:
    """One answer's score as ``scores_of`` gives it."""
    return scores_of([scale], [value], settings)[0]


SCALE_CODES = {name: code for code, name in enumerate(SCALES)}


def answers_queryset(organisation, *, teams, start: datetime, end: datetime, method: str = ""):
    """The answers of the filter, oldest first, as tuples — one query, read in chunks."""
    answers = Answer.objects.for_organisation(organisation).in_window(start, end).for_teams(teams)
    if method:
        answers = answers.filter(method=method)
    return answers.order_by("submission__answered_at", "submission_id", "id").values_list(
        "submission__answered_at",
        "submission__team__name",
        "submission__salesperson__name",
        "method",
        "area",
        "question_id",
        "scale",
        "value",
        "why",
        "submission__survey_response__free_text",
        "submission__survey_response__interviewed",
        "submission__survey_response__interviewer__first_name",
        "submission__survey_response__interviewer__last_name",
        "submission__survey_response__interviewer__username",
    )


def answer_rows(
    organisation,
    *,
    teams,
    start: datetime,
    end: datetime,
    method: str = "",
    settings: ScoringSettings,
) -> Iterator[list[Any]]:
    """The answer rows of the filter: local answered_at (naive), team, salesperson, method,
    area, question code and text (active language), raw value, 0–100 score, why, the
    customer's free text of the survey the answer belongs to (on each of its rows), and for a
    customer's answers recorded in an interview, who interviewed ("interviewed" when their
    account is gone; empty when the customer answered themself).

    Everything that depends on the request (language, time zone, question texts) is read when
    this is called, so that a streaming response can run the generator after the view
    returned. Two queries in all: the question bank, then the answers in chunks.
    """
    # Every version, retired ones too: each answer shows the wording it was given under.
    questions = {q.pk: (q.code, q.text) for q in Question.objects.filter(organisation=organisation)}
    methods = {m: method_label(m) for m in METHODS}
    areas = {a: area_label(a) for a in AREAS} | {"": ""}
    zone = timezone.get_current_timezone()
    interviewed = _("interviewed")
    queryset = answers_queryset(
        organisation, teams=teams, start=start, end=end, method=method
    ).iterator(chunk_size=CHUNK_SIZE)

    def rows() -> Iterator[list[Any]]:
        # Scored a chunk at a time: one call of the engine's normalisation per chunk.
        while chunk := list(islice(queryset, CHUNK_SIZE)):
            scores = scores_of([row[6] for row in chunk], [row[7] for row in chunk], settings)
            for row, score in zip(chunk, scores, strict=True):
                answered_at, team, person, m, area, question, _scale, value, why, free = row[:10]
                code, text = questions.get(question, ("", ""))
                yield [
                    answered_at.astimezone(zone).replace(tzinfo=None, microsecond=0),
                    team,
                    person or "",
                    methods.get(m, m),
                    areas.get(area, area),
                    code,
                    text,
                    value,
                    score,
                    why,
                    free or "",
                    (_interviewer(*row[11:]) or interviewed) if row[10] else "",
                ]

    return rows()


def _interviewer(first_name, last_name, username) -> str:
    """The interviewer's name as the pages show it (full name, else username; "" when gone)."""
    return " ".join(part for part in (first_name, last_name) if part) or username or ""


# --- the grades ----------------------------------------------------------------------------


def grade_header() -> list[str]:
    return [
        _("Salesperson"),
        _("Team"),
        _("Level"),
        _("Provisional"),
        _("Reasons"),
        _("Fitness index"),
        *(area_label(a) for a in AREAS),
        _("Gap to target"),
        _("Observations (n)"),
        _("Mystery shops (n)"),
        _("Customer surveys (n)"),
        "NPS",
        "NPS n",
        "CSAT %",
        "CSAT n",
        "CES",
        "CES n",
    ]


def grade_rows(grades: Grades, people, settings: ScoringSettings) -> Iterator[list[Any]]:
    """One row per salesperson (in the given order; `people` with `team` selected): the
    engine's result as of `grades.as_of`, rounded like the page. Someone without answers in
    the window has no result: their row says not enough data, with empty numbers."""
    yes, no = _("yes"), _("no")
    least = settings.min_n_for_metrics
    for person in people:
        result = grades.people.get(person.pk)
        level = result.level if result else "NOT_ENOUGH_DATA"
        row: list[Any] = [
            person.name,
            person.team.name,
            level_label(level),
            yes if result and result.provisional else no,
            ", ".join(reason_texts(reasons_of(result, settings))),
            rounded(result.index) if result else None,
        ]
        for area in AREAS:
            score = result.areas.get(area) if result else None
            row.append(rounded(score.score) if score else None)
        row.append(rounded(result.gap_to_target) if result else None)
        for method in METHODS:
            row.append(result.submissions_per_method[method] if result else 0)
        for code in ("NPS", "CSAT", "CES"):
            metric = result.metrics[code] if result else None
            n = metric.n if metric else 0
            row.append(rounded(metric.value) if metric and n >= least else None)
            row.append(n)
        yield row


# --- writers -------------------------------------------------------------------------------


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


def csv_stream(header: list[str], rows: Iterable[list[Any]]) -> Iterator[bytes]:
    """The rows as UTF-8 CSV with a byte order mark, in batches of CSV_BATCH_ROWS rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(CSV_BOM)
    writer.writerow([_csv_text(h) for h in header])
    count = 0
    for row in rows:
        writer.writerow([_csv_text(v) for v in row])
        count += 1
        if count % CSV_BATCH_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, str):
        # openpyxl refuses control characters; a stranger's text may hold them.
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def xlsx_file(title: str, header: list[str], rows: Iterable[list[Any]]) -> SpooledTemporaryFile:
    """The rows as an Excel workbook (openpyxl write-only) in a temporary file, at position 0.

    Kept in memory up to XLSX_MEMORY_BYTES, on disk beyond; the caller closes it."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    heading = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=_xlsx_value(text))
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    for row in rows:
        sheet.append([_xlsx_value(v) for v in row])
    target = SpooledTemporaryFile(max_size=XLSX_MEMORY_BYTES)
    workbook.save(target)
    target.seek(0)
    return target
