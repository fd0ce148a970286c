"""What an uploaded workbook may cost the worker, checked on the zip before openpyxl reads it.

A workbook is a zip of XML files, and a small upload can unpack into a great deal. openpyxl
streams each worksheet row by row, but parses the shared strings (every distinct text in the
workbook), the styles and the other small parts whole when the workbook is opened, and it pads
every row of a sheet out to the rightmost cell used. So, before it reads anything:

- all the files together, unpacked, stay under ``MAX_UNPACKED_BYTES``;
- each part parsed whole stays under a size and a count of XML tags (the work of parsing it
  grows with the tags: 2.4 million tiny shared strings in 40 MB took 35 s and 300 MB);
- a sheet using a column past ``MAX_COLUMNS`` is refused before its rows are read (one cell in
  column XFD on each of 20,000 rows took 27 s to pad).

The limits are sized from what real files need, with headroom. A workbook of 20,000 rows in
each of three sheets, meetings with a 200-character note each, unpacks to 33 MB; four full
sheets to about 45 MB. Its distinct texts (references, names, notes, reviews) come to about
10 MB and 100,000 strings, 4 tags each: at the limit, the worst case is read in about 2 s.
Excel itself allows at most 64,000 cell styles.
"""

import re
import zipfile

from openpyxl.packaging.manifest import Manifest
from openpyxl.xml.constants import ARC_CONTENT_TYPES, SHARED_STRINGS, WORKSHEET_TYPE
from openpyxl.xml.functions import fromstring

from core.imports import MAX_ROWS, ImportFileError

MB = 1024 * 1024
#: Every file in the workbook together, unpacked.
MAX_UNPACKED_BYTES = 100 * MB
#: The shared strings: every distinct text in the workbook, parsed whole.
MAX_SHARED_STRINGS_BYTES = 16 * MB
MAX_SHARED_STRINGS_TAGS = 1_000_000
#: Any other part parsed whole: the styles, the workbook, its relationships, the theme. A
#: workbook with all the 64,000 cell styles Excel allows has styles of 8 MB and 192,000 tags,
#: read in 2.8 s; at this limit, about 4.5 s.
MAX_PART_BYTES = 12 * MB
MAX_PART_TAGS = 300_000
#: The widest sheet read. The widest kind of record has about 30 columns; a person's sheet
#: may have a few more (which the check then names as unknown), never a hundred.
MAX_COLUMNS = 100

#: A cell's own reference, as in <c r="AB12" ...>: its column letters.
CELL_COLUMN = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\b[^>]*?\br=\"\$?([A-Z]{1,3})\$?[0-9]+\"")
MERGE_PATTERN = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref=\"([A-Z0-9:$]+)\"")

TOO_LARGE = (
    "The workbook is too large to read ({what}). Split it into files of at most "
    f"{MAX_ROWS:,} rows a sheet, and save it again from Excel as “Excel Workbook (.xlsx)”."
)

TOO_FORMATTED = (
    "The workbook carries more formatting (cell styles) or settings than Tandem reads. Copy "
    "each sheet's cells into a new workbook with Paste Special → Values, save it as “Excel "
    "Workbook (.xlsx)” and upload that, or save each sheet as CSV UTF-8."
)


def column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _tags(archive: zipfile.ZipFile, name: str) -> int:
    count = 0
    with archive.open(name) as xml:
        while chunk := xml.read(MB):
            count += chunk.count(b"<")
    return count


def check_parts(archive: zipfile.ZipFile) -> None:
    """ImportFileError if the workbook would cost more to open than a real one of
    ``MAX_ROWS`` rows a sheet. Worksheets are left to ``scan_sheet``: they are streamed."""
    infos = archive.infolist()
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportFileError(
            TOO_LARGE.format(what=f"over {MAX_UNPACKED_BYTES // MB} MB once unpacked")
        )
    # The manifest says which part is which, as openpyxl reads it (KeyError: not a workbook).
    _check_part(archive, archive.getinfo(ARC_CONTENT_TYPES), strings=False)
    manifest = Manifest.from_tree(fromstring(archive.read(ARC_CONTENT_TYPES)))
    kinds = {part.PartName.lstrip("/"): part.ContentType for part in manifest.Override}
    for info in infos:
        kind = kinds.get(info.filename, "")
        if kind == WORKSHEET_TYPE or not info.filename.endswith((".xml", ".rels")):
            continue  # a sheet is streamed (``scan_sheet``); an image is never read
        _check_part(archive, info, strings=kind == SHARED_STRINGS)


def _check_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, strings: bool) -> None:
    max_bytes = MAX_SHARED_STRINGS_BYTES if strings else MAX_PART_BYTES
    max_tags = MAX_SHARED_STRINGS_TAGS if strings else MAX_PART_TAGS
    if info.file_size > max_bytes or _tags(archive, info.filename) > max_tags:
        if strings:
            raise ImportFileError(TOO_LARGE.format(what="its texts are too many to read"))
        raise ImportFileError(TOO_FORMATTED)


def scan_sheet(archive: zipfile.ZipFile, path: str) -> tuple[list[str], int]:
    """The merged ranges of the sheet at ``path`` (read-only mode skips them) and its widest
    column used, read from its XML without parsing it."""
    merged: list[str] = []
    widest = 0
    tail = b""
    with archive.open(path) as xml:
        while chunk := xml.read(MB):
            text = tail + chunk
            merged.extend(m.decode() for m in MERGE_PATTERN.findall(text))
            letters = set(CELL_COLUMN.findall(text))
            if letters:
                widest = max(widest, *(column_number(c.decode()) for c in letters))
            tail = text[-300:]  # a tag cut in two by the chunk is whole next time
    return list(dict.fromkeys(merged)), widest
