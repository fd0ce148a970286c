"""Timeliness: how long the cohort waited for a match and a first meeting, and how contact
held up around release from custody."""

from typing import Any

from reports.cohort import cohort
from reports.report import NO_BASE, Section, rate
from reports.rows import Rows
from reports.sections.common import make_table, period, summary_stats

TIMELINESS_DEFINITIONS = {
    "referral_to_match_days": "Days from the referral to the person's first match, for "
    "people in the cohort who were matched (count, median, mean, shortest, longest).",
    "referral_to_first_meeting_days": "Days from the referral to the first meeting held "
    "(outcome 'met'), for people in the cohort who met a mentor.",
    "released": "People in the cohort released from custody on or after the day they "
    "were referred and by the end of the period (their recorded release date).",
    "released_with_contact_after_release": "Of those released, people who met a mentor "
    "on or after the day of release, by the end of the period.",
    "release_to_first_contact_days": "Days from release to the first meeting held on or "
    "after that day, for released people who met a mentor after release.",
    "matched_before_release": "Of those released, people whose first match was made "
    "while they were in custody (recorded at the match, or dated before the release).",
    "matched_before_release_share": "Matched before release divided by released; n/a "
    "when nobody was released.",
}


def timeliness_section(rows: Rows) -> Section:
    people = cohort(rows)
    _, end = period(rows)
    to_match = (people["first_matched_on"] - people["referred_on"]).dt.days
    to_first = (people["first_met_on"] - people["referred_on"]).dt.days
    released = people[
        people["released_on"].notna()
        & (people["released_on"] >= people["referred_on"])
        & (people["released_on"] <= end)
    ]
    release_to_contact = (released["first_met_after_release_on"] - released["released_on"]).dt.days
    before_release = released["first_matched_on"].notna() & (
        released["matched_in_custody"].astype(bool)
        | (released["first_matched_on"] < released["released_on"])
    )
    n_released = len(released)
    n_before = int(before_release.sum())
    figures: dict[str, Any] = {
        "referral_to_match_days": summary_stats(to_match),
        "referral_to_first_meeting_days": summary_stats(to_first),
        "released": n_released,
        "released_with_contact_after_release": int(release_to_contact.notna().sum()),
        "release_to_first_contact_days": summary_stats(release_to_contact),
        "matched_before_release": n_before,
        "matched_before_release_share": rate(n_before, n_released),
    }
    return Section(
        key="timeliness",
        title="Timeliness",
        figures=figures,
        tables=[
            make_table("timeliness_days", "Days to a match and to contact", _day_rows(figures), []),
            make_table(
                "timeliness_release",
                "Release from custody",
                _release_rows(figures),
                ["Share"],
                note="Each share is of the people released after referral, counted in the first "
                "row; that row is not a share of anything, so its cells are blank. n/a means "
                "nobody was released.",
            ),
        ],
        definitions=TIMELINESS_DEFINITIONS,
    )


def _day_rows(figures: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "Measure": title,
            "People": s["count"],
            "Median days": s["median"],
            "Mean days": s["mean"],
            "Shortest": s["min"],
            "Longest": s["max"],
        }
        for title, s in [
            ("From referral to match", figures["referral_to_match_days"]),
            ("From referral to first meeting held", figures["referral_to_first_meeting_days"]),
            ("From release to first contact", figures["release_to_first_contact_days"]),
        ]
    ]


def _release_rows(figures: dict[str, Any]) -> list[dict[str, Any]]:
    n_released = figures["released"]
    return [
        {
            "Measure": "Released from custody after referral",
            "People": n_released,
            "Out of": NO_BASE,
            "Share": NO_BASE,
        },
        {
            "Measure": "Met a mentor after release",
            "People": figures["released_with_contact_after_release"],
            "Out of": n_released,
            "Share": rate(figures["released_with_contact_after_release"], n_released),
        },
        {
            "Measure": "Matched before release",
            "People": figures["matched_before_release"],
            "Out of": n_released,
            "Share": figures["matched_before_release_share"],
        },
    ]
