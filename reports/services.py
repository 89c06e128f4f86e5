"""The engine's wiring: the organisation's scoring settings, and the read of the answers of all
methods from the database into the engine's table (``reports.compute`` grades them; the
results are stored and served by ``reports.results_cache``). Nothing here renders HTML.
"""

from __future__ import annotations

import io
from datetime import datetime

import pandas as pd
from django.db import connections, transaction

from asiakaskunto.models import SCORING_COLUMNS, Answer, Organisation

from .models import ScoringConfig
from .scoring import (
    COLUMNS,
    ScoringSettings,
)


def scoring_settings_for(organisation: Organisation) -> ScoringSettings:
    """The organisation's scoring settings: stored changes over the defaults, and its target level."""
    config = ScoringConfig.objects.filter(organisation=organisation).only("values").first()
    values = dict(config.values) if config else {}
    values["target_level"] = organisation.target_level
    return ScoringSettings.from_dict(values)


def save_scoring_settings(
    organisation: Organisation, scoring: ScoringSettings, *, user=None
) -> None:
    """Store leadership's settings (the target level on the organisation); their saves mark
    the stored results stale on commit (reports/signals.py)."""
    values = scoring.to_dict()
    target_level = values.pop("target_level")
    with transaction.atomic():
        ScoringConfig.objects.update_or_create(
            organisation=organisation, defaults={"values": values, "updated_by": user}
        )
        if organisation.target_level != target_level:
            organisation.target_level = target_level
            organisation.save(update_fields=["target_level"])


def load_answers(
    organisation: Organisation, *, start: datetime, end: datetime, answers=None
) -> pd.DataFrame:
    """The answers of all methods with start ≤ answered_at ≤ end as the engine's table, in one query.

    ``answers`` may narrow the queryset first (e.g. one team's, or one method's answers). The
    code columns come as categoricals (a few distinct values in a million rows).
    """
    queryset = answers if answers is not None else Answer.objects.all()
    rows = queryset.for_organisation(organisation).in_window(start, end).scoring_rows()
    frame = _read_postgresql(rows) if connections[rows.db].vendor == "postgresql" else None
    if frame is None:
        frame = pd.DataFrame.from_records(
            list(rows.iterator(chunk_size=20_000)), columns=SCORING_COLUMNS
        )
    if frame.empty:
        return pd.DataFrame({name: pd.Series([], dtype=dtype) for name, dtype in COLUMNS.items()})
    frame["answered_at"] = pd.to_datetime(frame["answered_at"], utc=True, format="ISO8601")
    frame["salesperson"] = frame["salesperson"].astype("Int64")
    frame["value"] = frame["value"].astype("float64")
    for name in _CODE_COLUMNS:
        frame[name] = frame[name].astype("category")
    return frame


_CODE_COLUMNS = ("method", "area", "question", "metric", "scale")


def _read_postgresql(rows) -> pd.DataFrame | None:
    """The same query streamed with COPY … TO STDOUT into pandas' C CSV reader: about five
    times faster than building a million row tuples (None when the driver has no COPY)."""
    sql, params = rows.query.sql_with_params()
    with connections[rows.db].cursor() as cursor:
        raw = getattr(cursor, "cursor", cursor)
        if not hasattr(raw, "copy_expert"):
            return None
        query = raw.mogrify(sql, params).decode()
        buffer = io.BytesIO()
        raw.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT csv, NULL '\\N')", buffer)
    buffer.seek(0)
    return pd.read_csv(
        buffer,
        names=SCORING_COLUMNS,
        header=None,
        na_values={"salesperson": ["\\N"]},
        keep_default_na=False,
        dtype={
            "submission": "int64",
            "salesperson": "Int64",
            "team": "int64",
            "value": "float64",
            "why": "object",
            **dict.fromkeys(_CODE_COLUMNS, "category"),
        },
    )
