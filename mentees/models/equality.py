"""Equality monitoring: how a person describes themselves, only if they choose to.

These answers are the mentee's own, asked for once they know what they are for (who the
scheme reaches, counted in funder reports with small numbers suppressed) and that every
question may be left unanswered. They are never used by matching and never shown to a
mentor. A blank answer means "not asked"; "prefer not to say" is an answer of its own.
Age is not asked: the age band is worked out from the date of birth when a report counts it.
"""

from django.db import models


class Gender(models.TextChoices):
    WOMAN = "woman", "Woman"
    MAN = "man", "Man"
    ANOTHER_WAY = "another_way", "In another way"
    NOT_SAID = "not_said", "Prefer not to say"


class Ethnicity(models.TextChoices):
    """The 2021 census ethnic groups for England and Wales, in the census's order, grouped
    (``ETHNIC_GROUPS``) into its five high-level groups for reports."""

    ASIAN_BANGLADESHI = "asian_bangladeshi", "Asian or Asian British: Bangladeshi"
    ASIAN_CHINESE = "asian_chinese", "Asian or Asian British: Chinese"
    ASIAN_INDIAN = "asian_indian", "Asian or Asian British: Indian"
    ASIAN_PAKISTANI = "asian_pakistani", "Asian or Asian British: Pakistani"
    ASIAN_OTHER = "asian_other", "Asian or Asian British: any other Asian background"
    BLACK_AFRICAN = "black_african", "Black, Black British, Caribbean or African: African"
    BLACK_CARIBBEAN = "black_caribbean", "Black, Black British, Caribbean or African: Caribbean"
    BLACK_OTHER = (
        "black_other",
        "Black, Black British, Caribbean or African: any other Black, Black British or "
        "Caribbean background",
    )
    MIXED_WHITE_ASIAN = "mixed_white_asian", "Mixed or multiple ethnic groups: White and Asian"
    MIXED_WHITE_BLACK_AFRICAN = (
        "mixed_white_black_african",
        "Mixed or multiple ethnic groups: White and Black African",
    )
    MIXED_WHITE_BLACK_CARIBBEAN = (
        "mixed_white_black_caribbean",
        "Mixed or multiple ethnic groups: White and Black Caribbean",
    )
    MIXED_OTHER = (
        "mixed_other",
        "Mixed or multiple ethnic groups: any other Mixed or multiple ethnic background",
    )
    WHITE_BRITISH = (
        "white_british",
        "White: English, Welsh, Scottish, Northern Irish or British",
    )
    WHITE_IRISH = "white_irish", "White: Irish"
    WHITE_GYPSY_TRAVELLER = "white_gypsy_traveller", "White: Gypsy or Irish Traveller"
    WHITE_ROMA = "white_roma", "White: Roma"
    WHITE_OTHER = "white_other", "White: any other White background"
    OTHER_ARAB = "other_arab", "Other ethnic group: Arab"
    OTHER_ANY = "other_any", "Other ethnic group: any other ethnic group"
    NOT_SAID = "not_said", "Prefer not to say"


#: The census's five high-level groups, by the prefix of each code.
ETHNIC_GROUPS: dict[str, str] = {
    "asian": "Asian or Asian British",
    "black": "Black, Black British, Caribbean or African",
    "mixed": "Mixed or multiple ethnic groups",
    "white": "White",
    "other": "Other ethnic group",
}


def ethnic_group(code: str) -> str:
    """The high-level group's key ("asian", ..., "other"), "not_said", or "" (not asked)."""
    if not code or code == Ethnicity.NOT_SAID:
        return code
    return code.split("_", 1)[0]


class Disability(models.TextChoices):
    """The Equality Act's question: a physical or mental health condition or illness lasting
    or expected to last 12 months or more that reduces their ability to carry out day-to-day
    activities."""

    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_SAID = "not_said", "Prefer not to say"
