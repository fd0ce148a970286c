"""The report as a zip of CSV files, for scripts and spreadsheets: one file per table, then
``definitions.csv`` and ``about.csv`` (see "CSV" in ``docs/reports.md``)."""

import io
import re
import zipfile
from collections.abc import Iterator

import pandas as pd

from reports.exports.common import (
    RATES_NOTE,
    about_rows,
    check_aggregate,
    definitions_frame,
    is_missing,
    neutralise_frame,
    plain_frame,
    reporter,
)
from reports.report import NOT_APPLICABLE, Progress, Report, Section, Table


def _tables(report: Report) -> Iterator[tuple[Section, Table]]:
    for section in report.sections:
        for table in section.tables:
            yield section, table


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "table"


def csv_file_names(report: Report) -> list[str]:
    """The CSV files of the zip, in order: one per table, then definitions and about."""
    names, seen = [], set()
    for section, table in _tables(report):
        name = f"{_slug(section.key)}__{_slug(table.key)}"
        stem, n = name, 2
        while name in seen:
            name, n = f"{stem}_{n}", n + 1
        seen.add(name)
        names.append(f"{name}.csv")
    return [*names, "definitions.csv", "about.csv"]


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    # The byte order mark tells Excel the file is UTF-8 (scheme names, dashes, "≤").
    frame = neutralise_frame(frame)
    text = frame.to_csv(index=False, na_rep=NOT_APPLICABLE, lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")


def _csv_frame(table: Table) -> pd.DataFrame:
    frame = plain_frame(table).copy()
    for column in frame.columns:
        if column in table.rate_columns:
            frame[column] = frame[column].map(
                lambda v: None if is_missing(v) else v if isinstance(v, str) else round(v, 4)
            )
        elif pd.api.types.is_float_dtype(frame[column]):
            frame[column] = frame[column].round(2)
    return frame


def to_csv_zip(report: Report, progress: Progress | None = None) -> bytes:
    """A zip of CSV files: one per table, ``definitions.csv`` and ``about.csv``."""
    tell = reporter(progress)
    check_aggregate(report)
    tell(0, "Writing the CSV files")
    names = csv_file_names(report)
    tables = list(_tables(report))
    stamp = report.generated_at.timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:

        def write(name: str, data: bytes) -> None:
            archive.writestr(zipfile.ZipInfo(name, date_time=stamp), data, zipfile.ZIP_DEFLATED)

        for i, ((_section, table), name) in enumerate(zip(tables, names, strict=False)):
            write(name, _csv_bytes(_csv_frame(table)))
            tell(5 + 85 * (i + 1) // max(len(tables), 1), f"Wrote {name}")
        write("definitions.csv", _csv_bytes(definitions_frame(report)))
        about = [*about_rows(report), ("Rates", RATES_NOTE)]
        about += [
            (name, f"{section.title}: {table.title}")
            for (section, table), name in zip(tables, names, strict=False)
        ]
        write("about.csv", _csv_bytes(pd.DataFrame(about, columns=["Item", "Value"])))
    tell(100, "CSV files ready")
    return buffer.getvalue()
