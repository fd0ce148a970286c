"""The cohort: the people referred in the period, one row each, with how far each one got.

The funnel, timeliness and contact time are all about this cohort, so its facts are worked
out once (and kept in ``rows.cache``) as a pure function of the plain rows.

The rules, also in ``docs/reports.md``:

- **Cohort**: everyone with a referral to one of the schemes whose ``referred_on`` falls in
  the period. A person referred twice in the period counts once, by their *first* referral in
  the period: its date, source and scheme are theirs.
- Everything after the referral is counted **up to the period's end** (not up to today), so a
  report of a past period gives the same figures whenever it is run. ``rows.date_to`` is that
  end, or the day the report is built when the period ends later (``load_rows``).
- **Consented**: consent given by the period end and not withdrawn before the referral date
  (consent from an earlier episode that is still current counts, and so does consent
  recorded before Tandem, whose date may not be known).
- **Their relationships**: those matched on or after the referral date and by the period end,
  re-matches included. A relationship from an earlier episode does not count.
- **A meeting held**: outcome *met*, any mode; **face to face**: held face to face, on a
  custody visit or at the prison gate.
- **Ended as planned**: the person's latest relationship was closed as *planned* by the
  period end.
"""

import pandas as pd

from relationships.models import Meeting, Relationship
from reports.rows import Rows

FACE_TO_FACE_MODES = [str(m) for m in Meeting.FACE_TO_FACE_MODES]
MET = str(Meeting.Outcome.MET)
PLANNED = str(Relationship.ClosureType.PLANNED)


def cohort_relationships(rows: Rows) -> pd.DataFrame:
    """The cohort's relationships: matched after their referral, by the period end."""
    if "cohort_relationships" not in rows.cache:
        _facts(rows)
    return rows.cache["cohort_relationships"]


def cohort_meetings(rows: Rows) -> pd.DataFrame:
    """Every meeting (held or not) of the cohort's relationships up to the period end, with
    the person's ``mentee_id``."""
    if "cohort_meetings" not in rows.cache:
        _facts(rows)
    return rows.cache["cohort_meetings"]


def cohort(rows: Rows) -> pd.DataFrame:
    """One row per person referred in the period, indexed by ``mentee_id``.

    Columns: ``scheme_id``, ``source``, ``referred_on``, ``released_on``, ``status``,
    ``exit_reason``, ``status_changed_on`` (of the counted referral); ``consented``,
    ``matched``, ``first_matched_on``, ``matched_in_custody`` (first relationship),
    ``met_count``, ``face_to_face_count``, ``hours`` (of meetings held), ``first_met_on``,
    ``first_met_after_release_on``, ``ended_as_planned``; and the funnel's booleans
    ``any_contact``, ``face_to_face``, ``met_once``, ``met_3_plus``, ``met_5_plus``.
    """
    if "cohort" not in rows.cache:
        _facts(rows)
    return rows.cache["cohort"]


def _facts(rows: Rows) -> None:
    """Work out the cohort and its relationships and meetings once, into ``rows.cache``."""
    end = pd.Timestamp(rows.date_to)
    c = _people(rows)
    _add_consent(rows, c, end)
    rels = _relationships(rows, c, end)
    meetings = _meetings(rows, c, rels, end)
    c["any_contact"] = c["met_count"] >= 1
    c["face_to_face"] = c["face_to_face_count"] >= 1
    c["met_once"] = c["met_count"] == 1
    c["met_3_plus"] = c["met_count"] >= 3
    c["met_5_plus"] = c["met_count"] >= 5

    rows.cache["cohort"] = c
    rows.cache["cohort_relationships"] = rels
    rows.cache["cohort_meetings"] = meetings


def _people(rows: Rows) -> pd.DataFrame:
    """One row per person referred in the period, from their first referral in it."""
    refs = rows.referrals.sort_values(["referred_on", "referral_id"]).drop_duplicates(
        "mentee_id", keep="first"
    )
    return refs.set_index("mentee_id")[
        [
            "scheme_id",
            "source",
            "referred_on",
            "released_on",
            "status",
            "exit_reason",
            "status_changed_on",
        ]
    ].copy()


def _add_consent(rows: Rows, c: pd.DataFrame, end: pd.Timestamp) -> None:
    """Adds to ``c`` whether each person's consent was given by the end and not withdrawn
    before their referral."""
    consents = rows.consents.join(c["referred_on"], on="mentee_id", how="inner")
    current = consents[
        # No date only for consent recorded before Tandem: given before anything counted.
        (consents["given_on"].isna() | (consents["given_on"] <= end))
        & (consents["withdrawn_on"].isna() | (consents["withdrawn_on"] >= consents["referred_on"]))
    ]
    c["consented"] = c.index.isin(current["mentee_id"])


def _relationships(rows: Rows, c: pd.DataFrame, end: pd.Timestamp) -> pd.DataFrame:
    """The cohort's relationships (matched after the referral, by the end), in match order.
    Adds to ``c`` whether each person was matched, their first match and whether their
    latest relationship ended as planned."""
    rels = rows.relationships.join(c["referred_on"], on="mentee_id", how="inner")
    rels = rels[(rels["matched_on"] >= rels["referred_on"]) & (rels["matched_on"] <= end)]
    rels = rels.sort_values(["matched_on", "relationship_id"])
    c["matched"] = c.index.isin(rels["mentee_id"])
    first = rels.drop_duplicates("mentee_id", keep="first").set_index("mentee_id")
    c["first_matched_on"] = first["matched_on"].reindex(c.index)
    c["matched_in_custody"] = first["matched_in_custody"].reindex(c.index, fill_value=False)
    latest = rels.drop_duplicates("mentee_id", keep="last").set_index("mentee_id")
    planned = (
        latest["closed_on"].notna()
        & (latest["closed_on"] <= end)
        & (latest["closure_type"] == PLANNED)
    )
    c["ended_as_planned"] = planned.reindex(c.index, fill_value=False).astype(bool)
    return rels


def _meetings(rows: Rows, c: pd.DataFrame, rels: pd.DataFrame, end: pd.Timestamp) -> pd.DataFrame:
    """Every meeting of the cohort's relationships by the end, with the person's id. Adds to
    ``c`` each person's meetings held, face to face, hours, and first meetings held."""
    meetings = rows.meetings[rows.meetings["held_on"] <= end].merge(
        rels[["relationship_id", "mentee_id"]], on="relationship_id", how="inner"
    )
    held = meetings[meetings["outcome"] == MET]
    by_person = held.groupby("mentee_id")
    c["met_count"] = by_person.size().reindex(c.index, fill_value=0).astype(int)
    c["face_to_face_count"] = (
        held[held["mode"].isin(FACE_TO_FACE_MODES)]
        .groupby("mentee_id")
        .size()
        .reindex(c.index, fill_value=0)
        .astype(int)
    )
    c["hours"] = (by_person["duration_minutes"].sum() / 60).reindex(c.index, fill_value=0.0)
    c["first_met_on"] = by_person["held_on"].min().reindex(c.index)
    after = held.join(c["released_on"], on="mentee_id")
    after = after[after["released_on"].notna() & (after["held_on"] >= after["released_on"])]
    c["first_met_after_release_on"] = after.groupby("mentee_id")["held_on"].min().reindex(c.index)
    return meetings
