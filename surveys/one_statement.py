"""Storing a customer's survey on PostgreSQL in one SQL statement.

A counter's QR code can bring answers in bursts, and storing one through the ORM costs four
INSERTs, each built, sent and waited for on its own. Here the Submission, its Answers, the
SurveyResponse and (for an unhappy answer) the FollowUp are written by one statement of
data-modifying CTEs: one round trip, and PostgreSQL makes it atomic by itself. The columns and
their values come from the models' own fields (defaults, ``auto_now``, database preparation),
so a new field with a default needs no change here.

Nothing goes past the ORM unseen: the caller runs this inside ``transaction.atomic()``, and the
Submission's ``post_save`` is sent as if it had been saved (the reports app forgets the cached
grades on it). A broken rule (a value off its scale, a form key stored already) raises
IntegrityError and stores nothing.
"""

from django.db import connection
from django.db.models import Model
from django.db.models.signals import post_save

from asiakaskunto.models import Answer, Submission

from .models import FollowUp, SurveyResponse


def _row(model: type[Model], values: dict, *, now, skip=()) -> tuple[list[str], list]:
    """The columns and prepared values of one new row: ``values`` given by name, every other
    concrete field (but the primary key and ``skip``) from its default or ``auto_now``."""
    columns, params = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in skip or field.attname in skip:
            continue
        if field.name in values:
            value = values[field.name]
        elif field.attname in values:
            value = values[field.attname]
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        else:
            value = field.get_default()
        if field.is_relation and isinstance(value, Model):
            value = value.pk
        columns.append(connection.ops.quote_name(field.column))
        params.append(field.get_db_prep_save(value, connection))
    return columns, params


def _insert_from_submission(model: type[Model], values: dict, *, now):
    """``INSERT … SELECT`` of one row whose ``submission`` is the one the statement inserts."""
    quote = connection.ops.quote_name
    columns, params = _row(model, values, now=now, skip={"submission"})
    placeholders = ", ".join(["%s"] * len(params))
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({quote(model._meta.get_field('submission').column)}, {', '.join(columns)}) "
        f"SELECT submission.id, {placeholders} FROM submission"
    )
    return sql, params


def store_survey(
    *, submission: dict, answers: list[dict], response: dict, follow_up: dict | None, now
) -> Submission:
    """Insert one survey (see the module's docstring) and return its Submission.

    ``submission``, ``response`` and ``follow_up`` are field values by name; ``answers`` the
    field values of each Answer (without the submission). ``follow_up`` None: no follow-up.
    """
    quote = connection.ops.quote_name
    sub_columns, sub_params = _row(Submission, submission, now=now)
    parts = [
        f"submission AS (INSERT INTO {quote(Submission._meta.db_table)} ({', '.join(sub_columns)}) "
        f"VALUES ({', '.join(['%s'] * len(sub_params))}) RETURNING {quote('id')})"
    ]
    params = list(sub_params)

    # The answers as one array per column, unnested beside the new submission's id.
    answer_fields = [
        field
        for field in Answer._meta.concrete_fields
        if not field.primary_key and field.name != "submission"
    ]
    rows = [_row(Answer, values, now=now, skip={"submission"})[1] for values in answers]
    arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in answer_fields)
    names = ", ".join(quote(field.column) for field in answer_fields)
    parts.append(
        f"answers AS (INSERT INTO {quote(Answer._meta.db_table)} "
        f"({quote(Answer._meta.get_field('submission').column)}, "
        f"{names}) SELECT submission.id, {names} FROM submission, UNNEST({arrays}) "
        f"AS given ({names}))"
    )
    params += [[row[index] for row in rows] for index in range(len(answer_fields))]

    sql, extra = _insert_from_submission(SurveyResponse, response, now=now)
    parts.append(f"response AS ({sql})")
    params += extra
    if follow_up is not None:
        sql, extra = _insert_from_submission(FollowUp, follow_up, now=now)
        parts.append(f"follow_up AS ({sql})")
        params += extra

    with connection.cursor() as cursor:
        cursor.execute("WITH " + ", ".join(parts) + " SELECT id FROM submission", params)
        (submission_id,) = cursor.fetchone()

    instance = Submission(pk=submission_id, created_at=now, **submission)
    instance._state.adding = False
    instance._state.db = connection.alias
    post_save.send(
        sender=Submission,
        instance=instance,
        created=True,
        update_fields=None,
        raw=False,
        using=connection.alias,
    )
    return instance
