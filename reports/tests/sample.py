"""A realistic funder report built by hand, for testing the exports without the database.

Its numbers echo the research: 200 referred, 6 with any contact, 2 who met three or more times.
It holds the awkward cases an export must survive: rates of ``None`` (shown "n/a"), a count
suppressed as "<5", an empty table, hours as floats, a month column, a negative mean change.
No names or notes: a Report never has any.
"""

import datetime
import itertools

import pandas as pd

from reports.report import Report, Section, Table, rate

SCHEMES = [(3, "Northgate Resettlement"), (7, "Riverside Bail Support")]

STAGES = [
    ("Referred", 200),
    ("Consented", 150),
    ("Matched", 60),
    ("Any contact", 6),
    ("Face-to-face contact", 4),
    ("Met 3 or more times", 2),
    ("Met 5 or more times", 1),
    ("Relationship ended as planned", 1),
]


def _funnel() -> Section:
    counts = [n for _, n in STAGES]
    stages = pd.DataFrame(
        {
            "Stage": [s for s, _ in STAGES] + ["Met exactly once"],
            "People": [*counts, 3],
            "Conversion from previous stage": [
                None,
                *(rate(n, prev) for prev, n in itertools.pairwise(counts)),
                None,
            ],
            "Share of referred": [rate(n, counts[0]) for n in counts] + [rate(3, counts[0])],
        }
    )
    by_source = pd.DataFrame(
        {
            "Referral source": ["Prison", "Probation", "Court", "Self-referral"],
            "Referred": [120, 50, 30, 0],
            "Matched": [40, 15, 5, 0],
            "Any contact": [4, 2, 0, 0],
            "Share with any contact": [rate(4, 120), rate(2, 50), rate(0, 30), rate(0, 0)],
        }
    )
    by_scheme = pd.DataFrame(
        {
            "Scheme": [name for _, name in SCHEMES],
            "Referred": [170, 30],
            "Consented": [140, 10],
            "Matched": [60, 0],
            "Any contact": [6, 0],
            "Met 3 or more times": [2, 0],
            "Share of matched with any contact": [rate(6, 60), rate(0, 0)],
        }
    )
    by_gender = pd.DataFrame(
        {
            "Gender": ["Man", "Woman", "Non-binary or other"],
            "Referred": [150, 47, "<5"],
            "Any contact": [5, "<5", 0],
        }
    )
    return Section(
        key="funnel",
        title="The funnel",
        figures={"total": dict(zip(["referred", "consented"], counts, strict=False))},
        tables=[
            Table(
                "stages",
                "Stages of the funnel",
                stages,
                ["Conversion from previous stage", "Share of referred"],
            ),
            Table("by_source", "By referral source", by_source, ["Share with any contact"]),
            Table("by_scheme", "By scheme", by_scheme, ["Share of matched with any contact"]),
            Table(
                "by_gender",
                "By gender",
                by_gender,
                note="Counts from 1 to 4 are shown as <5 to protect privacy.",
            ),
        ],
        definitions={
            "Referred": "People whose referral to the scheme was dated in the period.",
            "Any contact": "Referred people with at least one meeting whose outcome is met, "
            "of any mode.",
            "Face-to-face contact": "A met meeting face to face, in a custody visit or at the "
            "prison gate.",
            "Conversion from previous stage": "People at this stage divided by people at the "
            "stage before; n/a when the stage before has nobody.",
        },
    )


def _timeliness() -> Section:
    days = pd.DataFrame(
        {
            "Measure": [
                "Referral to match",
                "Referral to first meeting",
                "Release to first contact",
            ],
            "People": [60, 6, 0],
            "Median days": [18.5, 41.0, None],
            "Mean days": [22.3, 44.7, None],
        }
    )
    return Section(
        key="timeliness",
        title="Timeliness",
        figures={},
        tables=[Table("days", "Days taken", days)],
        definitions={"Referral to match": "Days from the referral date to the match date."},
    )


def _contact() -> Section:
    hours = pd.DataFrame(
        {
            "People with any contact": [6],
            "Mean hours": [9.25],
            "Median hours": [1.5],
            "Minimum hours": [0.0833],
            "Maximum hours": [42.0],
            "Two hours or less": [4],
            "Share two hours or less": [rate(4, 6)],
        }
    )
    by_mode = pd.DataFrame(
        {
            "Mode": ["Face to face", "Phone", "Custody visit", "Video"],
            "Meetings held": [14, 9, 2, 0],
            "Hours": [21.5, 4.25, 3.0, 0.0],
        }
    )
    months = pd.date_range("2025-04-01", periods=12, freq="MS")
    held = [0, 1, 3, 4, 2, 5, 6, 3, 0, 1, 0, 0]
    monthly = pd.DataFrame(
        {
            "Month": [m.strftime("%b %Y") for m in months],
            "Meetings held": held,
            "Face to face": [max(0, n - 1) for n in held],
            "Hours": [n * 1.25 for n in held],
        }
    )
    return Section(
        key="contact",
        title="Contact time",
        figures={},
        tables=[
            Table("hours", "Hours of contact per mentee", hours, ["Share two hours or less"]),
            Table("by_mode", "Meetings by mode", by_mode),
            Table("monthly", "Meetings held each month", monthly),
        ],
        definitions={"Mean hours": "Total minutes of met meetings per mentee, in hours."},
    )


def _relationships() -> Section:
    closures = pd.DataFrame(
        {
            "Reason": ["Goals achieved", "Lost contact", "Mentee went into custody"],
            "Closed": [1, 3, 1],
            "Planned": [1, 0, 0],
            "Share planned": [rate(1, 1), rate(0, 3), rate(0, 1)],
        }
    )
    summary = pd.DataFrame(
        {
            "Active at period end": [12],
            "Closed in period": [5],
            "Median length in weeks": [11.5],
            "Re-matches": [1],
        }
    )
    return Section(
        key="relationships",
        title="Relationships",
        figures={},
        tables=[
            Table("summary", "Relationships in the period", summary),
            Table("closures", "Closed in the period, by reason", closures, ["Share planned"]),
            Table("empty", "Paused in the period", pd.DataFrame({"Reason": [], "Paused": []})),
        ],
        definitions={"Planned": "Closed as agreed with the mentee, with an exit plan."},
    )


def _outcomes() -> Section:
    distance = pd.DataFrame(
        {
            "Domain": [
                "Accommodation",
                "Education, training and employment",
                "Finance",
                "Substance use",
                "Family and relationships",
            ],
            "People scored twice or more": [5, 4, 3, 2, 0],
            "Mean first score": [3.2, 4.0, 5.1, 6.0, None],
            "Mean latest score": [5.8, 5.0, 4.6, 6.5, None],
            "Mean change": [2.6, 1.0, -0.5, 0.5, None],
            "Improved": [4, 3, 1, 1, 0],
            "Share improved": [rate(4, 5), rate(3, 4), rate(1, 3), rate(1, 2), rate(0, 0)],
        }
    )
    goals = pd.DataFrame(
        {
            "Domain": ["Accommodation", "Finance"],
            "Goals set": [7, 4],
            "Achieved": [3, 0],
            "Share achieved": [rate(3, 7), rate(0, 4)],
        }
    )
    return Section(
        key="outcomes",
        title="Outcomes",
        figures={},
        tables=[
            Table("goals_by_domain", "Goals by domain", goals, ["Share achieved"]),
            Table("distance", "Distance travelled by domain", distance, ["Share improved"]),
        ],
        definitions={"Mean change": "Latest review score minus first, averaged over people."},
    )


def _mentors() -> Section:
    pipeline = pd.DataFrame(
        {
            "Scheme": [name for _, name in SCHEMES],
            "Applied": [14, 3],
            "Vetted": [9, 1],
            "Active": [7, 1],
            "Left": [2, 0],
            "Median days application to active": [63.0, None],
            "Volunteer hours": [1234.5, 12.25],
            "Supervision sessions": [21, 2],
        }
    )
    return Section(
        key="mentors",
        title="Mentors",
        figures={},
        tables=[Table("pipeline", "Mentors by scheme", pipeline)],
        definitions={"Volunteer hours": "Hours of met meetings held by volunteer mentors."},
    )


def sample_report() -> Report:
    return Report(
        date_from=datetime.date(2025, 4, 1),
        date_to=datetime.date(2026, 3, 31),
        schemes=list(SCHEMES),
        generated_at=datetime.datetime(2026, 4, 2, 9, 30, tzinfo=datetime.UTC),
        funder="Lottery Community Fund",
        sections=[_funnel(), _timeliness(), _contact(), _relationships(), _outcomes(), _mentors()],
    )
