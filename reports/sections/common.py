"""What the sections share: the period's bounds, counting codes, summary statistics, and the
tables a person reads, built so that whole numbers stay whole and an empty cell is ``None``."""

from typing import Any

import pandas as pd
from django.db.models import Choices

from reports.report import Table
from reports.rows import Rows


def period(rows: Rows) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and last day of the report's period, as timestamps to compare columns with."""
    return pd.Timestamp(rows.date_from), pd.Timestamp(rows.date_to)


def within(series: pd.Series, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    """Which dates fall in [start, end], both days included; a missing date never does."""
    return series.notna() & (series >= start) & (series <= end)


def rounded(value: Any, digits: int) -> float | None:
    """A measure as a plain float to ``digits`` places, or ``None`` when there is none."""
    return None if value is None or pd.isna(value) else round(float(value), digits)


def summary_stats(values: pd.Series, digits: int = 1) -> dict[str, Any]:
    """Count, median, mean, min and max; ``None`` for each but the count when empty."""
    values = values.dropna().astype(float)
    empty = values.empty
    return {
        "count": int(values.size),
        "median": None if empty else rounded(values.median(), digits),
        "mean": None if empty else rounded(values.mean(), digits),
        "min": None if empty else rounded(values.min(), digits),
        "max": None if empty else rounded(values.max(), digits),
    }


def code_counts(values: pd.Series, keys: list[str]) -> dict[str, int]:
    """How many of each code, with every code present (0 when none), in a stable order."""
    found = values.astype(str).value_counts()
    return {key: int(found.get(key, 0)) for key in keys}


def make_table(
    key: str, title: str, records: list[dict[str, Any]], rate_columns: list[str], note: str = ""
) -> Table:
    """A table whose columns keep their Python values: whole numbers stay whole, and an empty
    cell (a rate with nothing to divide by, a figure with no data) is ``None``, never NaN."""
    # Column by column as Python objects: from_records would turn a whole-number column with
    # a None in it into floats ("161.0") before anything here could stop it.
    columns = list(dict.fromkeys(key for record in records for key in record))
    df = pd.DataFrame({c: pd.Series([r.get(c) for r in records], dtype=object) for c in columns})
    for column in df.columns:
        values = list(df[column])
        if any(v is None or (isinstance(v, float) and pd.isna(v)) for v in values):
            df[column] = pd.Series(
                [None if v is None or pd.isna(v) else v for v in values],
                index=df.index,
                dtype=object,
            )
        elif all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            df[column] = df[column].astype("int64")
        elif all(isinstance(v, float) for v in values):
            df[column] = df[column].astype("float64")
        # A column mixing counts and measures (a label/value table) stays as objects, so each
        # cell keeps its own type and format.
    return Table(key=key, title=title, frame=df, rate_columns=rate_columns, note=note)


def choice_label(choices: type[Choices], code: str) -> str:
    """The readable label of a model choice's code ("Not recorded" for a blank one)."""
    return dict(choices.choices).get(code, code or "Not recorded")
