"""Writing evidence: the one function that stores a Submission with its Answers, for every method
(a manager's checklist, a mystery test, a customer's survey, and whatever counts next).

``record_submission`` copies each answer's method, area, metric and scale from its question
(``Answer.fields_for``: later edits of the bank never rewrite history), writes everything or
nothing, and marks the organisation's results stale once the rows are committed. Rows that
belong to the evidence and must be stored with it (a survey's response and follow-up) are
passed as ``attached`` and written in the same step.

On PostgreSQL the rows are written by one statement of data-modifying CTEs: one round trip, and
PostgreSQL makes it atomic by itself (a counter's QR code brings answers in bursts; through the
ORM one answer cost four INSERTs, each built, sent and waited for on its own). Elsewhere the ORM
writes the same rows in one transaction. The columns and their values come from the models' own
fields (defaults, ``auto_now``, database preparation), so a new field with a (Python) default
needs no change here; fields with a database default (``db_default``) are not supported,
generated fields are left to the database.

Signals: the Submission is written in bulk, without ``post_save`` (the staleness that its
signal would have marked is marked here, once); attached rows send theirs only through the ORM.
A broken rule (a value off its scale, a text too long for its column, a unique key stored
already) raises IntegrityError or DataError and stores nothing.
"""

from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from datetime import datetime
from functools import cache

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Model
from django.utils import timezone

from .models import Answer, Organisation, Question, Salesperson, Submission, Team

# An answer as the writers hand it in: (question, value, why).
AnswerTriple = tuple[Question, int, str]


def record_submission(
    *,
    organisation: Organisation | int,
    method: str,
    salesperson: Salesperson | int | None,
    team: Team | int,
    answered_at: datetime,
    answers: Iterable[AnswerTriple],
    attached: Sequence[tuple[type[Model], dict]] = (),
) -> Submission:
    """Store one piece of evidence, all or nothing, and return its Submission.

    ``answers``: (question, value, why) for each answered question (leave the unanswered out);
    ``attached``: (model, {field: value}) for each row that hangs on the new Submission through
    its ``submission`` field. Related rows may be given as objects or ids. Inside a caller's
    transaction the write gets a savepoint, so that a refused row spoils nothing else; the
    organisation's results go stale when the outermost transaction commits (at once without one).
    """
    from reports.results_cache import mark_stale_on_commit

    submission = {
        "organisation": organisation,
        "method": method,
        "salesperson": salesperson,
        "team": team,
        "answered_at": answered_at,
    }
    answer_rows = [Answer.fields_for(question, value, why) for question, value, why in answers]
    db = connections[DEFAULT_DB_ALIAS]  # the wrapper itself, not the per-access proxy
    one_statement = db.vendor == "postgresql"
    # One statement is atomic by itself; the ORM's several need a transaction.
    atomic = transaction.atomic() if db.in_atomic_block or not one_statement else nullcontext()
    with atomic:
        store = _in_one_statement if one_statement else _through_orm
        stored = store(db, submission, answer_rows, attached, now=timezone.now())
    mark_stale_on_commit(_pk(organisation))
    return stored


def _pk(value):
    return value.pk if isinstance(value, Model) else value


def _through_orm(db, submission: dict, answers: list[dict], attached, *, now) -> Submission:
    """The rows through the ORM: the Submission and its Answers in bulk, then each attached row."""
    instance = Submission(**_by_name_or_id(Submission, submission))
    Submission.objects.using(db.alias).bulk_create([instance])
    Answer.objects.using(db.alias).bulk_create(
        Answer(submission=instance, **values) for values in answers
    )
    for model, values in attached:
        model.objects.using(db.alias).create(submission=instance, **_by_name_or_id(model, values))
    return instance


def _by_name_or_id(model: type[Model], values: dict) -> dict:
    """Field values for the model's constructor: a related row given by its id goes in as
    ``<name>_id``."""
    fields = {}
    for name, value in values.items():
        field = model._meta.get_field(name)
        if field.is_relation and value is not None and not isinstance(value, Model):
            fields[field.attname] = value
        else:
            fields[name] = value
    return fields


@cache
def _fields(model: type[Model]) -> tuple:
    """The concrete fields a new row of ``model`` is written with: all but the primary key and
    the submission (which the statement fills in itself)."""
    return tuple(
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name != "submission" and not field.generated
    )


def _values(model: type[Model], given: dict, *, now, db) -> list:
    """The prepared values of one new row, in ``_fields`` order: given by name (a related
    object or its id), else ``auto_now``/``auto_now_add`` → ``now``, else the field's default."""
    values = []
    for field in _fields(model):
        if field.name in given:
            value = given[field.name]
        elif field.attname in given:
            value = given[field.attname]
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        else:
            value = field.get_default()
        if field.is_relation and isinstance(value, Model):
            value = value.pk
        values.append(field.get_db_prep_save(value, db))
    return values


@cache
def _statement(attached: tuple[type[Model], ...], alias: str) -> str:
    """The SQL of one piece of evidence with rows of the ``attached`` models; built once per
    shape (it depends on the models only)."""
    db = connections[alias]
    quote = db.ops.quote_name
    new_id = f"submission.{quote(Submission._meta.pk.column)}"

    def columns(model):
        return ", ".join(quote(field.column) for field in _fields(model))

    def placeholders(model):
        return ", ".join(["%s"] * len(_fields(model)))

    answer_columns = columns(Answer)
    # Arrays of the columns' types without a length (varchar(20) → varchar): an explicit cast
    # to a length cuts a longer text silently, the insert into the column refuses it.
    arrays = ", ".join(f"%s::{field.db_type(db).split('(')[0]}[]" for field in _fields(Answer))
    parts = [
        f"submission AS (INSERT INTO {quote(Submission._meta.db_table)} ({columns(Submission)}) "
        f"VALUES ({placeholders(Submission)}) RETURNING {quote(Submission._meta.pk.column)})",
        # The answers as one array per column, unnested beside the new submission's id.
        f"answers AS (INSERT INTO {quote(Answer._meta.db_table)} "
        f"({quote(Answer._meta.get_field('submission').column)}, {answer_columns}) "
        f"SELECT {new_id}, {answer_columns} FROM submission, UNNEST({arrays}) "
        f"AS given ({answer_columns}))",
    ]
    for number, model in enumerate(attached):
        submission_column = quote(model._meta.get_field("submission").column)
        parts.append(
            f"attached_{number} AS (INSERT INTO {quote(model._meta.db_table)} "
            f"({submission_column}, {columns(model)}) "
            f"SELECT {new_id}, {placeholders(model)} FROM submission)"
        )
    return (
        "WITH " + ", ".join(parts) + f" SELECT {quote(Submission._meta.pk.column)} FROM submission"
    )


def _in_one_statement(db, submission: dict, answers: list[dict], attached, *, now) -> Submission:
    """The rows by one SQL statement (PostgreSQL; see the module's docstring)."""
    submission_values = _values(Submission, submission, now=now, db=db)
    params = list(submission_values)
    rows = [_values(Answer, values, now=now, db=db) for values in answers]
    params += [[row[index] for row in rows] for index in range(len(_fields(Answer)))]
    for model, values in attached:
        params += _values(model, values, now=now, db=db)
    sql = _statement(tuple(model for model, _values_ in attached), db.alias)
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        (submission_id,) = cursor.fetchone()
    # The stored row as the ORM would load it (primary key first, then _fields' order).
    return Submission.from_db(db.alias, None, [submission_id, *submission_values])
