"""The report's rows carry each person's equality answers as codes and their age as a band
on the referral date, worked out in the query: no date of birth reaches the rows."""

import datetime

from mentees.models.equality import Disability, Ethnicity, Gender
from mentees.tests.factories import MenteeFactory, ReferralFactory
from reports.build import build_report
from reports.rows import load_rows

D = datetime.date


def _referred(scheme, born, on, **answers):
    mentee = MenteeFactory(scheme=scheme, date_of_birth=born, **answers)
    return ReferralFactory(mentee=mentee, referred_on=on, status_changed_on=on)


def test_rows_hold_the_age_band_on_the_referral_date_and_the_answers_as_codes(world):
    """Someone who turned 25 the day before their referral is 25 to 34; the day after, 18 to
    24. The ethnicity is its census group; a blank answer stays blank ("not asked")."""
    scheme = world.scheme_a
    older = _referred(
        scheme,
        D(2000, 3, 9),
        D(2025, 3, 10),
        gender=Gender.WOMAN,
        ethnicity=Ethnicity.BLACK_CARIBBEAN,
        disability=Disability.YES,
    )
    younger = _referred(scheme, D(2000, 3, 11), D(2025, 3, 10), ethnicity=Ethnicity.NOT_SAID)
    unknown = _referred(scheme, None, D(2025, 3, 10), ethnicity=Ethnicity.MIXED_OTHER)
    rows = load_rows(scheme_ids=[scheme.pk], date_from=D(2025, 1, 1), date_to=D(2025, 12, 31))
    by_id = rows.referrals.set_index("referral_id")
    assert "date_of_birth" not in rows.referrals.columns
    assert list(by_id.loc[older.pk, ["age_band", "gender", "ethnic_group", "disability"]]) == [
        "25_34",
        "woman",
        "black",
        "yes",
    ]
    assert list(by_id.loc[younger.pk, ["age_band", "gender", "ethnic_group"]]) == [
        "18_24",
        "",
        "not_said",
    ]
    assert list(by_id.loc[unknown.pk, ["age_band", "ethnic_group"]]) == ["", "mixed"]


def test_a_built_report_counts_the_answers_and_hides_small_groups(world):
    """Through the database: nine people referred, eight women and one man; the man's count
    is "<5", and the women's is hidden too ("[c]"), as the funnel's total is 9."""
    scheme = world.scheme_a
    for _ in range(8):
        _referred(scheme, D(1990, 1, 1), D(2025, 3, 10), gender=Gender.WOMAN)
    _referred(scheme, D(1990, 1, 1), D(2025, 3, 10), gender=Gender.MAN)
    report = build_report(scheme_ids=[scheme.pk], date_from=D(2025, 1, 1), date_to=D(2025, 12, 31))
    by_gender = report.section("equality").figures["by_gender"]
    assert (by_gender["man"]["referred"], by_gender["woman"]["referred"]) == ("<5", "[c]")
    assert report.section("funnel").figures["referred"] == 9
    age = report.section("equality").figures["by_age_band"]
    assert age["35_44"]["referred"] == 9  # 35 on 10 March 2025


def test_the_case_level_extract_carries_no_equality_answer(world):
    """The extract lists people one by one, where nothing can be suppressed: it has no age
    band, gender, ethnic group or disability column, and none of the answers."""
    from reports.services import case_extract_csv

    scheme = world.scheme_a
    _referred(scheme, D(1990, 1, 1), D(2025, 3, 10), gender=Gender.ANOTHER_WAY)
    rows = load_rows(scheme_ids=[scheme.pk], date_from=D(2025, 1, 1), date_to=D(2025, 12, 31))
    text = case_extract_csv(rows).decode("utf-8-sig")
    header = text.splitlines()[0]
    for column in ("age_band", "gender", "ethnic", "disability"):
        assert column not in header
    assert "another_way" not in text
