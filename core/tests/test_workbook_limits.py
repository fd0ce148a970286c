"""A small upload that would cost the worker far more than a real workbook (too many shared
texts or styles, files too large together once unpacked, a cell far to the right on every row,
XML declaring entities) is refused in words before openpyxl reads it, never half read."""

import io
import zipfile
from collections.abc import Callable

import openpyxl
import pytest

from core.imports import ImportFileError, Problem
from core.workbook_limits import MAX_SHARED_STRINGS_TAGS, MAX_UNPACKED_BYTES
from core.workbooks import UploadedWorkbook, iter_sheets

SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
STRINGS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def plain() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "mentees"
    sheet.append(["reference", "given_name"])
    sheet.append(["R1", "hello"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def changed(changes: dict[str, Callable[[bytes], bytes]], added: dict[str, bytes] | None = None):
    """The plain workbook with some parts changed and others added, deflated as Excel does."""
    source = zipfile.ZipFile(io.BytesIO(plain()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            target.writestr(info.filename, changes.get(info.filename, lambda c: c)(content))
        for name, content in (added or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def with_shared_strings(count: int) -> bytes:
    """A workbook whose shared strings hold ``count`` one-letter texts."""
    body = b"<si><t>a</t></si>" * count
    return changed(
        {
            "[Content_Types].xml": lambda c: c.replace(
                b"</Types>",
                f'<Override PartName="/{STRINGS}" ContentType="{STRINGS_TYPE}"/></Types>'.encode(),
            ),
            "xl/_rels/workbook.xml.rels": lambda c: c.replace(
                b"</Relationships>",
                f'<Relationship Id="rIdS" Type="{STRINGS_REL}" Target="sharedStrings.xml"/>'
                "</Relationships>".encode(),
            ),
        },
        {
            STRINGS: b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + body
            + b"</sst>"
        },
    )


def refusal(data: bytes) -> str:
    """What Tandem says of the workbook: why it cannot be opened, or its one sheet's problem
    (found reading it, or stopping it being read)."""
    try:
        workbook = UploadedWorkbook(data)
    except ImportFileError as exc:
        return str(exc)
    [(_, table)] = list(iter_sheets(workbook, workbook.sheet_names))
    if not isinstance(table, Problem):
        assert table.problems, "the workbook was read without a problem"
        return table.problems[0].message
    return table.message


def test_a_small_upload_with_millions_of_shared_texts_is_refused_unread():
    """A zip of a few hundred KB holding far more distinct texts than 20,000 real rows have
    is refused before openpyxl parses them, saying the workbook is too large to read."""
    data = with_shared_strings(MAX_SHARED_STRINGS_TAGS // 4 + 1)
    assert len(data) < 200_000
    assert "too large to read (its texts are too many to read)" in refusal(data)


def test_a_real_number_of_shared_texts_is_read():
    """The limit leaves a real workbook alone: 100,000 distinct texts open."""
    assert UploadedWorkbook(with_shared_strings(100_000)).sheet_names == ["mentees"]


def test_styles_past_what_excel_allows_are_refused_unread():
    """Styles bloated past Excel's own limit (64,000 cell styles) are refused unread, saying
    how to leave the formatting behind."""
    data = changed(
        {
            "xl/styles.xml": lambda c: c.replace(
                b"</styleSheet>", b"<a/>" * 500_000 + b"</styleSheet>"
            )
        }
    )
    assert "more formatting (cell styles) or settings than Tandem reads" in refusal(data)


def test_parts_each_small_but_too_large_together_are_refused(monkeypatch):
    """The limit is on the whole workbook unpacked: parts each under it that add up past it
    are refused."""
    data = changed({}, {f"xl/extra{i}.bin": b"\0" * (MAX_UNPACKED_BYTES // 4) for i in range(5)})
    assert "over 100 MB once unpacked" in refusal(data)


def test_a_cell_far_to_the_right_on_every_row_is_refused_naming_its_column():
    """One cell in column XFD on each of 2,000 rows (which, read naively, would pad every row
    to 16,384 cells): the sheet is refused, naming the column."""
    rows = b"".join(
        b'<row r="%d"><c r="XFD%d" t="inlineStr"><is><t>x</t></is></c></row>' % (i, i)
        for i in range(3, 2003)
    )
    data = changed({SHEET: lambda c: c.replace(b"</sheetData>", rows + b"</sheetData>")})
    assert "has a cell in column XFD, wider than any import reads" in refusal(data)


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
)


def declaring_entities(content: bytes) -> bytes:
    body = content.split(b"?>", 1)[1] if content.startswith(b"<?xml") else content
    return LAUGHS + body.replace(b"hello", b"&c;", 1)


@pytest.mark.parametrize("part", [SHEET, "xl/workbook.xml"])
def test_xml_declaring_entities_is_refused_whatever_the_systems_parser(part):
    """Entities (the start of a billion-laughs bomb, or of reading the server's files) are
    refused by defusedxml, not left to the system's expat: the workbook cannot be read."""
    data = changed({part: declaring_entities})
    assert "cannot be read" in refusal(data)
