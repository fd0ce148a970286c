"""Crafted plain rows for the sections' tests: the period 2025, two schemes, and builders for
the records the tests vary (referrals, relationships, meetings) in ``COLUMNS`` order."""

import datetime

from reports.rows import Rows, frame

D = datetime.date
FROM, TO = D(2025, 1, 1), D(2025, 12, 31)
SCHEMES = {1: "Northgate Resettlement", 2: "Riverside Bail Support"}


def rows(**frames: list[tuple]) -> Rows:
    """Rows for the period 2025 with the given crafted records (``kind=[tuples]``)."""
    r = Rows.empty(date_from=FROM, date_to=TO, schemes=SCHEMES)
    for kind, records in frames.items():
        setattr(r, kind, frame(kind, records))
    return r


def referral(
    pk,
    mentee,
    on,
    *,
    scheme=1,
    source="probation",
    status="referred",
    exit="",
    changed=None,
    released=None,
    situation="community",
    expected_release=None,
    court=None,
    readiness=None,
    assessed=None,
    held_before_match=None,
    assessed_before_match=None,
):
    """A referral row; ``readiness`` is the person's latest four answers (default: "not_asked"
    each), ``held_before_match`` what the referral kept before its match."""
    answers = readiness or ("not_asked",) * 4
    record = (pk, mentee, scheme, source, on, status, exit, changed or on, released)
    kept = (held_before_match, assessed_before_match)
    return (*record, situation, expected_release, court, *answers, assessed, *kept)


def rel(
    pk,
    mentee,
    matched,
    *,
    scheme=1,
    mentor=1,
    status="active",
    custody=False,
    closed=None,
    ctype="",
    reason="",
    rematch=False,
):
    return (pk, mentee, scheme, mentor, status, matched, custody, closed, ctype, reason, rematch)


def meeting(relationship, on, *, minutes=60, mode="phone", outcome="met", purpose="goals"):
    return (relationship, on, minutes, mode, outcome, purpose, "mentee")
