"""Storing a customer's survey on PostgreSQL in one SQL statement.

A counter's QR code can bring answers in bursts, and storing one through the ORM costs four
INSERTs, each built, sent and waited for on its own. Here the Submission, its Answers, the
SurveyResponse and (for an unhappy answer) the FollowUp are written by one statement of
data-modifying CTEs: one round trip, and PostgreSQL makes it atomic by itself. The columns and
their values come from the models' own fields (defaults, ``auto_now``, database preparation),
so a new field with a (Python) default needs no change here.

The statement is atomic by itself, so it needs no transaction around it (``submit_survey`` runs
it in one when it also uses up an invitation). The Submission's ``post_save`` is sent as if it
had been saved (the reports app forgets the cached grades on it); the other rows send no
signals, as with ``bulk_create``. A broken rule (a value off its scale, a text too long, a form
key stored already) raises IntegrityError or DataError and stores nothing. Fields with a
database default (``db_default``) are not supported here; generated fields are left to the
database.
"""

from functools import cache

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.db.models.signals import post_save

from asiakaskunto.models import Answer, Submission

from .models import FollowUp, SurveyResponse


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
def _statement(*, with_follow_up: bool) -> str:
    """The SQL of one survey; built once per shape (it depends on the models only)."""
    db = connections[DEFAULT_DB_ALIAS]
    quote = db.ops.quote_name
    new_id = f"submission.{quote(Submission._meta.pk.column)}"

    def columns(model):
        return ", ".join(quote(field.column) for field in _fields(model))

    def placeholders(model):
        return ", ".join(["%s"] * len(_fields(model)))

    def from_submission(model):
        submission_column = quote(model._meta.get_field("submission").column)
        return (
            f"INSERT INTO {quote(model._meta.db_table)} ({submission_column}, {columns(model)}) "
            f"SELECT {new_id}, {placeholders(model)} FROM submission"
        )

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
        f"response AS ({from_submission(SurveyResponse)})",
    ]
    if with_follow_up:
        parts.append(f"follow_up AS ({from_submission(FollowUp)})")
    return (
        "WITH " + ", ".join(parts) + f" SELECT {quote(Submission._meta.pk.column)} FROM submission"
    )


def store_survey(
    *, submission: dict, answers: list[dict], response: dict, follow_up: dict | None, now
) -> Submission:
    """Insert one survey (see the module's docstring) and return its Submission.

    ``submission``, ``response`` and ``follow_up`` are field values by name (a related row as
    the object or by its id: ``team`` or ``team_id``); ``answers`` the field values of each
    Answer (without the submission). ``follow_up`` None: no follow-up.
    """
    db = connections[DEFAULT_DB_ALIAS]  # the wrapper itself, not the per-access proxy
    submission_values = _values(Submission, submission, now=now, db=db)
    params = list(submission_values)
    rows = [_values(Answer, values, now=now, db=db) for values in answers]
    params += [[row[index] for row in rows] for index in range(len(_fields(Answer)))]
    params += _values(SurveyResponse, response, now=now, db=db)
    if follow_up is not None:
        params += _values(FollowUp, follow_up, now=now, db=db)
    sql = _statement(with_follow_up=follow_up is not None)
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        (submission_id,) = cursor.fetchone()

    # The stored row as the ORM would load it (primary key first, then _fields' order).
    instance = Submission.from_db(db.alias, None, [submission_id, *submission_values])
    post_save.send(
        sender=Submission,
        instance=instance,
        created=True,
        update_fields=None,
        raw=False,
        using=db.alias,
    )
    return instance
