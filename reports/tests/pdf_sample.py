"""The sample report (``sample.py``) with the tables the charts are drawn from under the keys
the real sections use, and a quarterly trend as part B's ``targets`` section has it; and
poppler-utils' tools (pdftoppm, pdftotext, pdfinfo) to read a PDF as a person would."""

import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from reports.report import Report, Section, Table
from reports.sections.funnel import STAGES
from reports.tests.sample import sample_report

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "issue16"

#: The trend by quarter: a row per quarter, then a count column per funnel stage.
TREND = pd.DataFrame(
    {
        "Quarter": ["Apr to Jun 2025", "Jul to Sep 2025", "Oct to Dec 2025", "Jan to Mar 2026"],
        **{title: [n * (9 - i) for n in (10, 14, 9, 17)] for i, (_, title) in enumerate(STAGES)},
    }
)


def chart_report(*, trend: bool = True) -> Report:
    """The sample report, keyed as the real sections key it, with the real stage names."""
    report = sample_report()
    funnel = report.section("funnel").tables[0]
    funnel.key = "funnel"
    labels = [title for _, title in STAGES] + ["Met exactly once"]
    funnel.frame["Stage"] = labels
    funnel.frame = funnel.frame.rename(columns={"Share of referred": "Share of all referred"})
    funnel.rate_columns = ["Conversion from previous stage", "Share of all referred"]
    next(
        t for t in report.section("outcomes").tables if t.key == "distance"
    ).key = "distance_travelled"
    if trend:
        report.sections.insert(
            1,
            Section(
                "targets",
                "Targets and the trend by quarter",
                {},
                [Table("trend", "The funnel by quarter", TREND.copy())],
            ),
        )
    return report


def poppler(tool: str, *args: object) -> str:
    """Run a poppler-utils tool and return what it printed."""
    path = shutil.which(tool)
    if path is None:
        pytest.fail("poppler-utils missing: scripts/with-services installs it (make test)")
    result = subprocess.run(  # noqa: S603 (our own fixed arguments)
        [path, *map(str, args)], check=True, capture_output=True, text=True
    )
    return result.stdout


def pdf_text(pdf: bytes, tmp_path: Path, *args: object) -> str:
    """The PDF's text as pdftotext reads it (its options in ``args``)."""
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return poppler("pdftotext", *args, path, "-")


def pdf_info(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    return poppler("pdfinfo", path)
