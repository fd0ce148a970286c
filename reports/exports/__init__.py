"""A funder report as files: a zip of CSVs, an XLSX workbook, and a PDF a trustee can read.

One module per format, each with one writer: ``csv_zip.to_csv_zip``, ``xlsx.to_xlsx`` and
``pdf.to_pdf`` (the report page's HTML with a print style sheet, made a PDF by WeasyPrint).
What they share, the privacy check, the notes, the tables as typed cells and how a cell reads,
is in ``common``. Import a writer from its module, so a PDF's WeasyPrint or an XLSX's openpyxl
loads only when that format is asked for.

Each writer takes a ``Report`` (see ``reports/report.py``) and returns the file's bytes. They
never touch the database, so the command, the web job and the tests run the same code. The
files are described in ``docs/reports.md`` ("The export files").

The writers print only what the Report holds, and refuse a table with a column that looks like
personal data (a name, a note, a date of birth): a mistake upstream fails loudly instead of
reaching a funder.

Each writer takes an optional ``progress(percent, message)`` callable, which the web job uses
for its progress bar.
"""
