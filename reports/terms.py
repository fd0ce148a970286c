"""The words a reader sees for each figure a section defines.

A section's ``definitions`` are keyed by the figure's stable key (``any_contact``,
``share_of_target``), the key the json carries. Every place a person reads the definitions
(the page, the PDF, the XLSX's Definitions sheet, ``definitions.csv``) shows them under the
table's column or stage title instead, from ``TERMS``. A key with no entry here would show
under its code name: ``reports/tests/test_terms.py`` fails for any such key.
"""

from reports.report import Section

#: Section key -> figure key -> the column, stage or row title the reader sees.
TERMS: dict[str, dict[str, str]] = {
    "funnel": {
        "cohort": "Who is counted",
        "referred": "Referred",
        "consented": "Consented",
        "matched": "Matched with a mentor",
        "any_contact": "Any contact (met at least once)",
        "face_to_face": "Face-to-face contact",
        "met_once": "Met exactly once",
        "met_3_plus": "Met 3 or more times",
        "met_5_plus": "Met 5 or more times",
        "ended_as_planned": "Relationship ended as planned",
        "share_of_referred": "Share of all referred",
        "from_previous": "Of them, also at this stage",
        "conversion": "Conversion from the stage before",
        "by_scheme": "By scheme",
        "by_source": "By referral source",
        "stopped_before_match": "Stopped before a match",
    },
    "targets": {
        "targets": "Targets against actuals",
        "share_of_target": "Actual of target",
        "status": "Status",
        "combined_targets": "All schemes combined",
        "trend": "Trend by quarter",
    },
    "readiness": {
        "readiness_conditions": "Readiness conditions",
        "by_readiness": "By readiness at referral",
        "by_time_to_release": "By time to release or court date",
        "released_before_referral": "Released before the referral",
        "within_4_weeks": "Within 4 weeks",
        "4_weeks_to_3_months": "In 4 weeks to 3 months",
        "over_3_months": "In more than 3 months",
        "not_known": "Not known, or in the community",
        "shares": "Shares",
    },
    "equality": {
        "who": "Who is counted",
        "by_age_band": "Age band",
        "by_gender": "Gender",
        "by_ethnic_group": "Ethnic group",
        "by_disability": "Disability",
        "not_asked": "Not asked",
        "stages": "Stages",
        "suppressed": "<5 and [c]",
        "share_of_referred": "Share of referred",
        "shown": "When the breakdown is shown",
        "limits": "What hiding small numbers cannot prevent",
        "not_asked_linked": "Not asked, across the questions",
    },
    "timeliness": {
        "referral_to_match_days": "From referral to match",
        "referral_to_first_meeting_days": "From referral to first meeting held",
        "released": "Released from custody after referral",
        "released_with_contact_after_release": "Met a mentor after release",
        "release_to_first_contact_days": "From release to first contact",
        "matched_before_release": "Matched before release",
        "matched_before_release_share": "Share matched before release",
    },
    "contact": {
        "mentees_with_contact": "People with any contact",
        "hours": "Hours per person",
        "two_hours_or_less": "People with two hours or less",
        "two_hours_or_less_share": "Share of people with any contact",
        "meetings_arranged": "Meetings arranged",
        "meetings_held": "Meetings held",
        "meetings_not_held": "Meetings not held",
        "by_mode": "By mode",
        "by_purpose": "By purpose",
        "by_month": "By month",
    },
    "relationships": {
        "started": "Relationships started (matched) in the period",
        "rematches": "Of them, re-matches",
        "rematches_share_of_started": "Share of started that are re-matches",
        "active_at_period_end": "Open at the end of the period",
        "closed": "Closed in the period",
        "closed_planned": "Closed as planned",
        "closed_unplanned": "Closed unplanned",
        "closed_planned_share": "Share closed as planned",
        "closed_by_reason": "Closures by reason",
        "length_weeks": "Length of those closed (weeks)",
    },
    "outcomes": {
        "goals_set": "Goals set",
        "goals_achieved": "Goals achieved",
        "goals_dropped": "Goals dropped",
        "by_domain": "Goals by domain",
        "by_primary_good": "Goals by primary good",
        "distance_travelled": "Distance travelled",
    },
    "mentors": {
        "applied": "Applied in the period",
        "vetted": "Vetted and trained: became active for the first time",
        "active_at_period_end": "Active at the end of the period",
        "left": "Left in the period",
        "days_application_to_active": "Days from application to active",
        "volunteer_hours": "Volunteer hours given (meetings held)",
        "volunteers_giving_time": "Volunteers who gave time",
        "staff_hours": "Paid staff hours mentoring",
        "supervision_sessions": "Supervision sessions held",
        "mentors_supervised": "Mentors supervised",
    },
    "flags": {
        "raised": "Raised",
        "acknowledged": "Acknowledged",
        "resolved": "Resolved",
        "open_at_period_end": "Open at the end",
        "by_kind": "Flags by kind",
    },
    "concerns": {
        "raised": "Raised",
        "acknowledged": "Acknowledged",
        "acknowledged_in_time": "Acknowledged in time",
        "hours_to_acknowledge": "Hours to acknowledge",
        "escalated": "Escalated",
        "closed": "Closed",
        "open_at_period_end": "Open at the end of the period",
        "closed_by_outcome": "Concerns closed, by outcome",
    },
}


def term(section_key: str, key: str) -> str:
    """The words a reader sees for a figure of a section (its code name, made readable, only
    if ``TERMS`` has no entry: the tests catch that)."""
    words = TERMS.get(section_key, {}).get(key)
    if words:
        return words
    return key.replace("_", " ").capitalize() if "_" in key else key


def readable_definitions(section: Section) -> dict[str, str]:
    """A section's definitions keyed by the words a reader sees, in the same order."""
    return {term(section.key, key): text for key, text in section.definitions.items()}
