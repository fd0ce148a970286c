"""The funnel: how far the people referred in the period got, stage by stage, overall, by
scheme and by referral source, and why referrals stopped before a match."""

from typing import Any

import pandas as pd

from mentees.models import Referral
from reports.cohort import cohort
from reports.report import NO_BASE, Section, Table, rate
from reports.rows import Rows
from reports.sections.common import choice_label, code_counts, make_table, period

# The funnel, in order: each stage's conversion is from the one before it.
STAGES: list[tuple[str, str]] = [
    ("referred", "Referred"),
    ("consented", "Consented"),
    ("matched", "Matched with a mentor"),
    ("any_contact", "Any contact (met at least once)"),
    ("face_to_face", "Face-to-face contact"),
    ("met_3_plus", "Met 3 or more times"),
    ("met_5_plus", "Met 5 or more times"),
    ("ended_as_planned", "Relationship ended as planned"),
]
#: Met exactly once is off the main line: its "previous stage" is any contact.
MET_ONCE = ("met_once", "Met exactly once")
#: Each stage as the base of the next one's conversion: "22.2% of the 36 {phrase}".
BASE_PHRASES = {
    "referred": "referred",
    "consented": "who consented",
    "matched": "matched with a mentor",
    "any_contact": "with any contact",
    "face_to_face": "with face-to-face contact",
    "met_3_plus": "who met 3 or more times",
    "met_5_plus": "who met 5 or more times",
}
FUNNEL_KEYS = [key for key, _ in STAGES] + [MET_ONCE[0]]
STOPPED = [
    Referral.Status.DECLINED,
    Referral.Status.WITHDRAWN,
    Referral.Status.NOT_SUITABLE,
    Referral.Status.LOST_CONTACT,
]


def funnel_counts(people: pd.DataFrame) -> dict[str, Any]:
    """The funnel of one group of the cohort: counts at the top level under the stage keys,
    then ``share_of_referred``, ``from_previous`` (people also at the previous stage) and
    ``conversion`` (``from_previous`` over the previous stage's count)."""
    masks = {"referred": pd.Series(True, index=people.index)}
    masks.update({key: people[key].astype(bool) for key, _ in STAGES[1:]})
    masks["met_once"] = people["met_once"].astype(bool)
    counts = {key: int(mask.sum()) for key, mask in masks.items()}
    previous = {key: STAGES[i - 1][0] for i, (key, _) in enumerate(STAGES) if i}
    previous["met_once"] = "any_contact"
    from_previous = {
        key: int((masks[key] & masks[before]).sum()) for key, before in previous.items()
    }
    return {
        **{key: counts[key] for key in FUNNEL_KEYS},
        "share_of_referred": {key: rate(counts[key], counts["referred"]) for key in FUNNEL_KEYS},
        "from_previous": from_previous,
        "conversion": {
            key: rate(from_previous[key], counts[before]) for key, before in previous.items()
        },
    }


FUNNEL_DEFINITIONS = {
    "cohort": "Everyone referred to one of the schemes in the period. A person referred more "
    "than once in the period counts once, by their first referral in it (its date, source "
    "and scheme). Everything after the referral is counted up to the end of the period.",
    "referred": "People referred in the period (the cohort).",
    "consented": "Of the cohort, people with informed consent given by the end of the period "
    "and not withdrawn before they were referred. Consent recorded before Tandem, imported "
    "without a date, counts.",
    "matched": "Of the cohort, people matched with a mentor after their referral and by the "
    "end of the period (a re-match counts once: it is the same person).",
    "any_contact": "Of the cohort, people who met their mentor at least once: a meeting "
    "whose outcome is 'met', in any mode (face to face, phone, video, messages, custody "
    "visit, prison gate), by the end of the period.",
    "face_to_face": "Of the cohort, people with at least one meeting held face to face, on a "
    "custody visit or at the prison gate.",
    "met_once": "Of the cohort, people who met a mentor exactly once (all their "
    "relationships together).",
    "met_3_plus": "Of the cohort, people who met a mentor three or more times, any mode.",
    "met_5_plus": "Of the cohort, people who met a mentor five or more times, any mode.",
    "ended_as_planned": "Of the cohort, people whose latest relationship was closed as "
    "planned by the end of the period.",
    "share_of_referred": "A stage's people divided by everyone referred (the cohort).",
    "from_previous": "People at a stage who were also at the stage before it. Stages are "
    "counted independently, so someone who met three times by phone is at 'met 3+' without "
    "being at 'face to face'; they are not counted here.",
    "conversion": "A share of the stage before, not of the people at this stage: of the "
    "people at the stage before, those also at this stage, divided by everyone at the stage "
    "before (each row of the table names its stage before and how many were at it). For 'met "
    "once' the stage before is 'any contact'. Referred is the first stage: it has no stage "
    "before, so its conversion is left blank. n/a when nobody reached the stage before.",
    "by_scheme": "The same figures for each scheme, keyed by the scheme's id; each share is of "
    "the people referred to that scheme. Not suppressed: a scheme is not a demographic group.",
    "by_source": "The same figures by who referred the person (prison, probation, court, "
    "self-referral, other agency); each share is of the people that source referred. Not "
    "suppressed: the referral source is not a "
    "demographic group.",
    "stopped_before_match": "Of the cohort, referrals that stopped before a match (declined, "
    "withdrawn, not suitable, lost contact) by the end of the period, by the reason recorded. "
    "Someone referred again and matched is not counted here.",
}


def funnel_section(rows: Rows) -> Section:
    people = cohort(rows)
    total = funnel_counts(people)
    by_scheme = {str(pk): funnel_counts(people[people["scheme_id"] == pk]) for pk in rows.schemes}
    sources = Referral.Source.values
    by_source = {source: funnel_counts(people[people["source"] == source]) for source in sources}
    _, end = period(rows)
    stopped = people[
        people["status"].isin([str(s) for s in STOPPED])
        & (people["status_changed_on"] <= end)
        & ~people["matched"]  # re-referred and matched later: not stopped before a match
    ]
    stopped_reasons = code_counts(stopped["exit_reason"], Referral.ExitReason.values)
    figures = {
        **total,
        "by_scheme": by_scheme,
        "by_source": by_source,
        "stopped_before_match": stopped_reasons,
    }
    return Section(
        key="funnel",
        title="The funnel",
        figures=figures,
        tables=_funnel_tables(rows, total, by_scheme, by_source, stopped_reasons),
        definitions=FUNNEL_DEFINITIONS,
    )


def _funnel_tables(
    rows: Rows,
    total: dict[str, Any],
    by_scheme: dict[str, dict[str, Any]],
    by_source: dict[str, dict[str, Any]],
    stopped_reasons: dict[str, int],
) -> list[Table]:
    rate_columns = ["Share of referred with any contact", "Share of referred who met 3+ times"]
    return [
        make_table(
            "funnel",
            "The funnel: people referred in the period, and how far they got",
            _stage_rows(total),
            ["Share of all referred", "Conversion from the stage before"],
            note="Each conversion is a share of the stage before (named in its row), not of "
            "the people at this stage: stages are counted on their own, so not everyone at a "
            "stage was at the one before. Met exactly once is set against everyone with any "
            "contact. Referred, the first stage, has no stage before: its cells are blank. "
            "n/a means nobody reached the stage before.",
        ),
        make_table(
            "funnel_by_scheme",
            "The funnel by scheme",
            [_funnel_row("Scheme", rows.schemes[pk], by_scheme[str(pk)]) for pk in rows.schemes],
            rate_columns,
            note="Each share is of the people referred to that scheme; n/a means nobody was.",
        ),
        make_table(
            "funnel_by_source",
            "The funnel by referral source",
            [
                _funnel_row("Referral source", choice_label(Referral.Source, s), group)
                for s, group in by_source.items()
            ],
            rate_columns,
            note="Each share is of the people that source referred; n/a means it referred nobody.",
        ),
        make_table(
            "stopped_before_match",
            "Referrals that stopped before a match, by reason",
            [
                {"Reason": choice_label(Referral.ExitReason, reason), "Referrals": n}
                for reason, n in stopped_reasons.items()
                if n
            ]
            or [{"Reason": "None", "Referrals": 0}],
            [],
        ),
    ]


def _stage_rows(total: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per stage: its people, their share of all referred, and the conversion from
    the stage before, with that stage named and its count given (met exactly once is
    measured against any contact). The first stage has no stage before: blank, not n/a."""
    previous = {key: STAGES[i - 1] for i, (key, _) in enumerate(STAGES) if i}
    previous["met_once"] = STAGES[3]
    stage_rows = []
    for key, title in [*STAGES, MET_ONCE]:
        before = previous.get(key)
        if before is None:
            stage_rows.append(
                {
                    "Stage": title,
                    "People": total[key],
                    "Share of all referred": total["share_of_referred"][key],
                    "Stage before": NO_BASE,
                    "People at the stage before": NO_BASE,
                    "Of them, also at this stage": NO_BASE,
                    "Conversion from the stage before": NO_BASE,
                    "Conversion, in words": NO_BASE,
                }
            )
            continue
        base = total[before[0]]
        conversion = total["conversion"][key]
        phrase = BASE_PHRASES[before[0]]
        stage_rows.append(
            {
                "Stage": title,
                "People": total[key],
                "Share of all referred": total["share_of_referred"][key],
                "Stage before": before[1],
                "People at the stage before": base,
                "Of them, also at this stage": total["from_previous"][key],
                "Conversion from the stage before": conversion,
                "Conversion, in words": f"n/a: nobody {phrase}"
                if conversion is None
                else f"{conversion:.1%} of the {base:,} {phrase}",
            }
        )
    return stage_rows


def _funnel_row(label_column: str, label: str, group: dict[str, Any]) -> dict[str, Any]:
    return {
        label_column: label,
        **{title: group[key] for key, title in [*STAGES, MET_ONCE]},
        "Share of referred with any contact": group["share_of_referred"]["any_contact"],
        "Share of referred who met 3+ times": group["share_of_referred"]["met_3_plus"],
    }
