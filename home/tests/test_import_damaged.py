"""A workbook damaged inside one sheet (its XML cut short, a number cell holding text): the
job says in words that the sheet cannot be read, names the sheet, writes nothing, and the log
names the kind of failure only, never a cell's text."""

import io
import logging
import zipfile
from collections.abc import Callable

import openpyxl
import pytest

from home.import_jobs import import_job_run, import_job_upload
from home.models import ImportJob

SECRET = "Convicted-of-XYZ"


def tampered(change: Callable[[bytes], bytes]) -> bytes:
    """A one-sheet workbook of mentees whose sheet XML has been through ``change``."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "mentees"
    sheet.append(["reference", "referral_source", "referred_on"])
    sheet.append(["R1", "self", 5])
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = change(content)
            target.writestr(info.filename, content)
    return out.getvalue()


@pytest.mark.parametrize(
    "change",
    [
        lambda xml: xml[:-40],
        lambda xml: xml.replace(b"<v>5</v>", f"<v>{SECRET}</v>".encode()),
    ],
    ids=["xml-cut-short", "text-in-a-number-cell"],
)
def test_a_damaged_sheet_is_named_and_nothing_of_its_cells_is_logged(world, caplog, change):
    """The check ends with the sheet's problem in words (not "Something went wrong"), and
    nothing a cell holds reaches the log."""
    job = import_job_upload(
        by=world.coordinator_a,
        scheme=world.scheme_a,
        kind="mentees",
        filename="people.xlsx",
        data=tampered(change),
    )
    with caplog.at_level(logging.DEBUG):
        import_job_run(job_id=job.pk)
    job = ImportJob.objects.get(pk=job.pk)
    assert job.status == ImportJob.Status.PROBLEMS, job.message
    [problem] = job.problems
    assert problem["sheet"] == "mentees"
    assert "cannot be read as part of an Excel workbook" in problem["message"]
    assert SECRET not in caplog.text and SECRET not in problem["message"]
