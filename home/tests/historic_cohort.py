"""A historic cohort, as a scheme's spreadsheets hold it: 4,000 past referrals, 40 past
mentors who have all left, 390 past relationships with their end, and 1,100 meetings.

Nothing in it is what a scheme would have to invent: no names (references only), consent
recorded before Tandem with no date or sheet version, no DBS checks for mentors who left long
ago, and the purpose of older meetings "not recorded". Every value comes from the row's
number, so the same call gives the same rows every time.

``cohort_rows()`` gives each kind's columns and rows (plain strings, so writing a workbook is
one loop); ``cohort_csv()`` the same as CSV bytes, ready for ``home.importers.run_import``.
Import them in ``KINDS`` order. ``cohort_rows(referrals=12, mentors=3, ...)`` gives a smaller
history of the same shape for quick tests (home/tests/workbooks.py writes it as a workbook).

``cohort_rows(live=N)`` leaves the last N referrals open, as a scheme's records hold the people
it is still working with when it moves to Tandem: those never matched wait (for a match, or to
be assessed) since years ago, and those matched are still active, last met years ago, their
review long overdue, their mentors still active. Imported with a go-live date in the past, the
watcher sees them from that day (``home/tests/test_import_go_live.py``).
"""

import csv
import datetime
import io
from dataclasses import dataclass

KINDS = ["mentors", "mentees", "relationships", "meetings"]
REFERRALS = 4_000
MENTORS = 40
RELATIONSHIPS = 390
MEETINGS = 1_100

FIRST_REFERRAL = datetime.date(2018, 1, 8)
#: Referrals are spread over five years, one every 11 hours or so.
REFERRAL_SPAN_DAYS = 5 * 365

#: Where the referrals that never reached a match stopped, with their reasons, in turn.
STOPPED = [
    ("declined", "not_interested"),
    ("lost_contact", "no_response"),
    ("not_suitable", "outside_criteria"),
    ("withdrawn", "moved_away"),
    ("declined", "bad_timing"),
    ("lost_contact", "no_address"),
    ("not_suitable", "risk_too_high"),
    ("withdrawn", "returned_to_custody"),
]
SOURCES = ["prison", "probation", "court", "self", "other_agency"]
#: How each past relationship closed, in turn: (closure type, reason).
CLOSURES = [
    ("planned", "goals_achieved"),
    ("unplanned", "lost_contact"),
    ("planned", "goals_achieved"),
    ("unplanned", "custody"),
    ("unplanned", "mentee_withdrew"),
    ("unplanned", "mentor_left"),
    ("unplanned", "moved_away"),
]
#: The purpose of each meeting in turn; older records often do not say.
PURPOSES = ["not_recorded", "goals", "help_with", "not_recorded", "social", "help_for", "crisis"]
MODES = ["face_to_face", "phone", "face_to_face", "video", "custody_visit"]
OUTCOMES = ["met", "met", "met", "did_not_attend", "met", "cancelled_by_mentee"]


@dataclass(frozen=True)
class Table:
    columns: list[str]
    rows: list[dict[str, str]]


def _day(on: datetime.date) -> str:
    return on.isoformat()


def _mentors(count: int, live: bool = False) -> Table:
    """The mentors, each active for years and gone now: no names and no vetting records.
    With ``live`` rows they are all still active, with a DBS check in force."""
    rows = []
    for i in range(count):
        applied = datetime.date(2017, 3, 1) + datetime.timedelta(days=3 * i)
        rows.append(
            {
                "reference": f"HM-{i + 1:03d}",
                "applied_on": _day(applied),
                "kind": "peer" if i % 5 == 0 else "volunteer",
                "status": "left",
                "first_active_on": _day(applied + datetime.timedelta(days=90)),
                "status_since": _day(datetime.date(2024, 6, 30) - datetime.timedelta(days=i)),
            }
        )
        if live:
            rows[-1].update(
                status="active",
                status_since="",
                dbs_level="enhanced",
                dbs_issued_on=_day(applied + datetime.timedelta(days=60)),
                dbs_expires_on="2099-12-31",
            )
    return Table(list(rows[0]), rows)


@dataclass(frozen=True)
class Sizes:
    referrals: int = REFERRALS
    mentors: int = MENTORS
    relationships: int = RELATIONSHIPS
    meetings: int = MEETINGS
    live: int = 0

    def is_live(self, i: int) -> bool:
        """Whether referral ``i`` is one of the last ``live``, still open."""
        return i >= self.referrals - self.live

    def referred_on(self, i: int) -> datetime.date:
        return FIRST_REFERRAL + datetime.timedelta(days=i * REFERRAL_SPAN_DAYS // self.referrals)

    def matched(self, i: int) -> bool:
        """Which referrals reached a match (390 of 4,000), spread evenly."""
        r, n = self.relationships, self.referrals
        return i * r // n != (i + 1) * r // n


def _mentees(sizes: Sizes) -> Table:
    """The people and their referrals. Those matched were waiting with consent recorded
    before Tandem (their relationships move them on); the rest stopped before a match,
    some of them after consenting."""
    rows = []
    stopped = 0
    for i in range(sizes.referrals):
        referred_on = sizes.referred_on(i)
        row = {
            "reference": f"HP-{i + 1:04d}",
            "referral_source": SOURCES[i % len(SOURCES)],
            "referred_on": _day(referred_on),
            "referral_status": "",
            "status_changed_on": "",
            "exit_reason": "",
            "consent_recorded_before_tandem": "",
        }
        if sizes.matched(i) or (sizes.is_live(i) and i % 2):
            row["referral_status"] = "awaiting_match"
            row["status_changed_on"] = _day(referred_on + datetime.timedelta(days=14))
            row["consent_recorded_before_tandem"] = "yes"
        elif sizes.is_live(i):
            pass  # referred, and not yet assessed
        else:
            status, reason = STOPPED[stopped % len(STOPPED)]
            stopped += 1
            row["referral_status"] = status
            row["exit_reason"] = reason
            row["status_changed_on"] = _day(referred_on + datetime.timedelta(days=30))
            row["consent_recorded_before_tandem"] = "yes" if stopped % 3 == 0 else "no"
        rows.append(row)
    return Table(list(rows[0]), rows)


@dataclass(frozen=True)
class _Match:
    mentee: str
    mentor: str
    matched_on: datetime.date
    closed_on: datetime.date
    live: bool = False


def _matches(sizes: Sizes) -> list[_Match]:
    matches = []
    for i in (i for i in range(sizes.referrals) if sizes.matched(i)):
        n = len(matches)
        matched_on = sizes.referred_on(i) + datetime.timedelta(days=21)
        matches.append(
            _Match(
                mentee=f"HP-{i + 1:04d}",
                mentor=f"HM-{n % sizes.mentors + 1:03d}",
                matched_on=matched_on,
                closed_on=matched_on + datetime.timedelta(days=90 + (n * 37) % 240),
                live=sizes.is_live(i),
            )
        )
    return matches


def _relationships(matches: list[_Match]) -> Table:
    """Every relationship closed, with its end date, closure kind and reason; a live one
    still active, its next review long overdue."""
    rows = []
    for n, m in enumerate(matches):
        closure_type, reason = CLOSURES[n % len(CLOSURES)]
        rows.append(
            {
                "mentee_reference": m.mentee,
                "mentor_reference": m.mentor,
                "matched_on": _day(m.matched_on),
                "status": "closed",
                "closed_on": _day(m.closed_on),
                "closure_type": closure_type,
                "closure_reason": reason,
                **({"next_review_on": ""} if any(m.live for m in matches) else {}),
            }
        )
        if m.live:
            review = m.matched_on + datetime.timedelta(weeks=6)
            rows[-1].update(
                status="active",
                closed_on="",
                closure_type="",
                closure_reason="",
                next_review_on=_day(review),
            )
    return Table(list(rows[0]), rows)


def _meetings(matches: list[_Match], count: int) -> Table:
    """The meetings, shared out over the relationships in turn (1,100: two for each of the
    390, and a third for the first 320), a week apart from the week after the match (every
    relationship lasts at least 90 days, so up to 12 each)."""
    rows = []
    for n in range(count):
        m = matches[n % len(matches)]
        week = 1 + n // len(matches)
        rows.append(
            {
                "mentee_reference": m.mentee,
                "mentor_reference": m.mentor,
                "matched_on": _day(m.matched_on),
                "held_on": _day(m.matched_on + datetime.timedelta(weeks=week)),
                "time": f"{10 + n % 7}:{30 * ((n + 1) % 2):02d}",
                "duration_minutes": str(30 + 15 * (n % 5)),
                "mode": MODES[n % len(MODES)],
                "initiated_by": "mentor" if n % 3 else "mentee",
                "outcome": OUTCOMES[n % len(OUTCOMES)],
                "purpose": PURPOSES[n % len(PURPOSES)],
            }
        )
    return Table(list(rows[0]), rows)


def cohort_rows(
    *,
    referrals: int = REFERRALS,
    mentors: int = MENTORS,
    relationships: int = RELATIONSHIPS,
    meetings: int = MEETINGS,
    live: int = 0,
) -> dict[str, Table]:
    """Each kind's columns and rows, in the order to import them: the acceptance's sizes
    unless smaller ones are asked for; the last ``live`` referrals still open."""
    sizes = Sizes(referrals, mentors, relationships, meetings, live)
    assert 0 < relationships <= referrals and mentors > 0
    assert meetings <= 12 * relationships, "at most 12 weekly meetings in 90 days"
    matches = _matches(sizes)
    assert len(matches) == relationships
    return {
        "mentors": _mentors(mentors, live=live > 0),
        "mentees": _mentees(sizes),
        "relationships": _relationships(matches),
        "meetings": _meetings(matches, meetings),
    }


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=table.columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(table.rows)
    return out.getvalue().encode()


def cohort_csv(**sizes: int) -> dict[str, bytes]:
    """Each kind as a CSV file's bytes, in the order to import them."""
    return {kind: to_csv(table) for kind, table in cohort_rows(**sizes).items()}
