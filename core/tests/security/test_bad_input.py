"""Bad input that gave a 500 (issue 15, item 8), replayed: each now gets a message in the
user's words, on the page where it was typed, and nothing is written.

- an import cell over the CSV reader's field limit;
- a null character in interests, languages or skills (PostgreSQL's JSON refuses it);
- a report period before 1677 (the first day pandas can hold) or far in the future, and, of
  the same kind, a date in year 1 in any other form;
- a scheme name with mathtext in it (``$\\undefinedcmd{x}$``), which stopped the old PDF, now
  with markup, a script, template syntax, a formula and right-to-left text too.

Every other form and query string is swept the same way in ``test_bad_input_sweep.py``.
"""

import csv
import datetime
import shutil
import subprocess
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import World, client_for, database_fingerprint
from core.tests.matrix import MATRIX_MODULES, UNWATCHED, Redirect, Row
from home.tests.importing import import_through_page
from mentees.models import Mentee, Referral
from reports import services
from reports.models import ReportExport
from schemes.models import Mentor, Scheme

pytestmark = pytest.mark.django_db

NUL = "\x00"
MENTEES_HEADER = "reference,given_name,family_name,referral_source,referred_on\n"


def matrix_body(world: World, url_name: str, label: str) -> tuple[str, dict[str, Any], str]:
    """The permission matrix's valid POST for ``url_name`` (the row whose label starts with
    ``label``): its URL, its body and a role allowed to send it."""
    import importlib

    rows: list[Row] = [r for m in MATRIX_MODULES for r in importlib.import_module(m).ROWS]
    found = next(
        r
        for r in rows
        if r.url_name == url_name and r.write is not None and r.label.startswith(label)
    )
    role = next(role for role, expected in found.expect.items() if isinstance(expected, Redirect))
    assert found.write is not None
    url = reverse(url_name, kwargs=found.kwargs(world) or None)
    return url, found.write.data(world, world.users()[role]), role


def page(response) -> str:
    assert response.status_code in (200, 400), response.status_code
    return response.content.decode()


# --- An import cell over the CSV reader's field limit ------------------------------------------


def test_an_import_cell_over_the_csv_field_limit_is_named_by_its_line(world):
    """A cell longer than the CSV reader takes (csv.field_size_limit) is reported on the line
    its record starts on, with what to check; nothing is imported."""
    limit = csv.field_size_limit()
    text = (
        MENTEES_HEADER
        + "NG-001,Ann,Smith,prison,2026-09-01\n"
        + f'NG-002,"{"x" * (limit + 1)}",Jones,prison,2026-09-01\n'
    )
    _, body = import_through_page(
        client_for(world.coordinator_a),
        kind="mentees",
        scheme_id=world.scheme_a.pk,
        name="people.csv",
        data=text.encode(),
    )
    assert "Nothing was imported" in body
    assert f"Line 3: A cell is longer than the {limit:,} characters Tandem reads" in body
    assert not Mentee.objects.filter(reference__startswith="NG-").exists()


def test_an_unclosed_quote_in_the_header_is_reported_on_line_1(world):
    """The header row itself over the limit (a quote never closed swallows the file) is
    reported as line 1, not as a crash."""
    limit = csv.field_size_limit()
    text = f'reference,"given_name\n{"y" * (limit + 1)}\n'
    _, body = import_through_page(
        client_for(world.coordinator_a),
        kind="mentors",
        scheme_id=world.scheme_a.pk,
        name="pool.csv",
        data=text.encode(),
    )
    assert "Line 1: A cell is longer than" in body


def test_a_null_character_in_an_import_cell_is_refused_in_words(world):
    """A null character in an imported word list or name is a problem on its line, never a
    database error."""
    text = (
        "reference,given_name,family_name,applied_on,languages\n"
        f"MP-001,Ann,Smith,2026-01-05,English{NUL}\n"
    )
    _, body = import_through_page(
        client_for(world.coordinator_a),
        kind="mentors",
        scheme_id=world.scheme_a.pk,
        name="pool.csv",
        data=text.encode(),
    )
    assert "Line 2, <code>languages</code>: Languages must not contain null characters" in body
    assert not Mentor.objects.filter(reference="MP-001").exists()


# --- A null character in interests, languages or skills -----------------------------------------


@pytest.mark.parametrize(
    ("url_name", "label", "field", "message"),
    [
        ("mentees:needs", "scheme A", "interests", "Interests must not contain null characters"),
        ("mentors:edit", "scheme A", "languages", "Languages must not contain null characters"),
        ("mentors:edit", "scheme A", "interests", "Interests must not contain null characters"),
        ("mentors:edit", "scheme A", "skills", "Skills must not contain null characters"),
    ],
)
def test_a_null_character_in_a_word_list_is_a_form_error(world, url_name, label, field, message):
    """A null character typed or pasted into interests, languages or skills is shown as an
    error on that field; PostgreSQL, which cannot store one, is never asked to."""
    url, body, role = matrix_body(world, url_name, label)
    client = world.client(role)
    before = database_fingerprint(UNWATCHED)
    response = client.post(url, {**body, field: f"football, co{NUL}oking"})
    text = page(response)
    assert message in text
    assert 'aria-invalid="true"' in text
    after = database_fingerprint(UNWATCHED)
    assert [t for t in before if before[t] != after[t]] == []


def test_a_null_character_in_the_search_box_finds_nothing_rather_than_failing(world):
    """A search for a null character (in the box or the query string) answers with the list."""
    client = world.client("coordinator_a")
    for url in (reverse("mentees:list"), reverse("mentors:list"), reverse("audit:list")):
        response = client.get(url, {"q": f"Ann{NUL}"})
        assert response.status_code in (200, 403), (url, response.status_code)


# --- Dates outside the years a report can hold --------------------------------------------------


@pytest.mark.parametrize(
    ("date_from", "date_to"),
    [("1600-01-01", None), ("0001-01-01", None), ("9999-01-01", "9999-12-31")],
    ids=["before 1677", "year 1", "far in the future"],
)
def test_a_report_period_outside_the_years_tandem_holds_is_a_form_error(world, date_from, date_to):
    """A period before 1677 (pandas' first day) or far in the future is refused on the form
    with the range allowed; no report is asked for."""
    response = client_for(world.coordinator_a).post(
        reverse("reports:new"),
        {
            "date_from": date_from,
            "date_to": date_to or timezone.localdate().isoformat(),
            "schemes": [world.scheme_a.pk],
            "format": "xlsx",
        },
    )
    assert "The period must be between 1 January 1900 and the end of the current quarter" in page(
        response
    )
    assert not ReportExport.objects.exists()


def test_a_report_asked_for_without_the_form_checks_its_years_too(world):
    """The service refuses the same period, for callers that do not go through the form."""
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="1 January 1900 and the end of the current quarter"):
        services.report_export_request(
            by=world.coordinator_a,
            scheme_ids=[world.scheme_a.pk],
            date_from=datetime.date(1600, 1, 1),
            date_to=timezone.localdate(),
            format="xlsx",
        )


def test_a_date_in_year_1_in_another_form_is_refused_with_the_years_allowed(world):
    """A referral dated 0001-01-01 (a slip for 2001) was stored, and would have stopped every
    funder report reading it; now the form says which years it takes."""
    url, body, role = matrix_body(world, "mentees:referral_new", "")
    before = Referral.objects.count()
    response = world.client(role).post(url, {**body, "referred_on": "0001-01-01"})
    assert "Date of referral must be between 1900 and 2199" in page(response)
    assert Referral.objects.count() == before


# --- A hostile scheme name in the funder report's PDF and page -------------------------------

#: Markup, a script, template syntax, mathtext, a spreadsheet formula and right-to-left text, in
#: the 120 characters a scheme's name holds (the 300-character one is in reports' test_pdf.py).
HOSTILE = (
    '<script>alert(1)</script><b>{{ 7|add:1 }}</b> $x^2$ =HYPERLINK("http://evil.example",'
    '"Open") مرحبا بالعالم'
)


def pdftotext(data: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        pytest.fail("poppler-utils missing: scripts/with-services installs it (make test)")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(data)
    result = subprocess.run(  # noqa: S603 (our own fixed arguments)
        [shutil.which("pdftotext"), str(pdf), "-"], check=True, capture_output=True, text=True
    )
    return " ".join(result.stdout.split())


def test_a_hostile_scheme_name_prints_as_typed_in_the_pdf_and_on_the_page(
    world, tmp_path, django_capture_on_commit_callbacks
):
    """A scheme named with markup, a script, ``{{ }}``, ``$x^2$``, a formula and Arabic builds
    a PDF (a ``$\\undefinedcmd{x}$`` once stopped it) that shows the name exactly as typed:
    no tag runs, no template is evaluated, no link is made; the page escapes it too."""
    Scheme.objects.filter(pk=world.scheme_a.pk).update(name=HOSTILE)
    with django_capture_on_commit_callbacks(execute=False):
        export = services.report_export_request(
            by=world.coordinator_a,
            scheme_ids=[world.scheme_a.pk],
            date_from=timezone.localdate() - datetime.timedelta(days=364),
            date_to=timezone.localdate(),
            format=ReportExport.Format.PDF,
        )
    services.report_export_run(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == ReportExport.Status.DONE, export.message
    pdf = bytes(export.content)
    text = pdftotext(pdf, tmp_path).replace(" ", "")  # spaces and line breaks aside
    assert "Funderreportfor<script>alert(1)</script><b>{{7|add:1}}</b>$x^2$" in text
    assert '=HYPERLINK("http://evil.example","Open")' in text
    assert "بالعالم" in text and "{{8}}" not in text
    assert b"/URI" not in pdf and b"/JavaScript" not in pdf  # no link, no script

    page = client_for(world.coordinator_a).get(reverse("reports:detail", args=[export.pk]))
    html = page.content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
