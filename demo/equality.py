"""Equality answers for demo people: a realistic share only. Fewer than half are asked (the
questions are optional and asked only if the person chooses); of those asked, some prefer not
to say, and a few leave a question unanswered. The mix of ethnic groups leans, like the
criminal justice system's, towards more Black and Mixed people than the population's.

Drawn from a random stream of its own per person, so adding it changed nobody else's demo
record."""

import datetime
import random

ASKED = 0.45
ETHNICITIES = {
    "white_british": 62,
    "white_irish": 2,
    "white_gypsy_traveller": 2,
    "white_other": 6,
    "black_caribbean": 5,
    "black_african": 4,
    "black_other": 1,
    "mixed_white_black_caribbean": 4,
    "mixed_other": 2,
    "asian_pakistani": 3,
    "asian_indian": 2,
    "asian_bangladeshi": 1,
    "asian_other": 1,
    "other_arab": 1,
    "other_any": 1,
    "not_said": 4,
}


def equality_answers(*, key: str, woman: bool, today: datetime.date) -> dict[str, object]:
    """The Mentee fields for one person (``key`` seeds their stream): nothing when not asked."""
    rng = random.Random(f"equality:{key}")
    if rng.random() >= ASKED:
        return {}
    gender = rng.choices(
        ["woman" if woman else "man", "another_way", "not_said"], weights=[90, 2, 8]
    )[0]
    ethnicity = rng.choices(list(ETHNICITIES), weights=list(ETHNICITIES.values()))[0]
    disability = rng.choices(["yes", "no", "not_said", ""], weights=[28, 50, 14, 8])[0]
    return {
        "gender": gender,
        "ethnicity": ethnicity,
        "disability": disability,
        "equality_answered_on": today - datetime.timedelta(days=rng.randint(1, 300)),
    }
