"""Reading the free text matching relies on: gender descriptions, postcode districts (read by
``core.postcodes``, which the referral form shares) and lists of words (languages,
interests), each read cautiously so that matching never guesses."""

import re

from core.postcodes import postcode_area as postcode_area  # read here by matching
from core.postcodes import postcode_district as postcode_district
from schemes.models import Mentor

_FEMALE = {"female", "woman", "women", "f", "girl", "lady", "she", "her", "feminine"}
_MALE = {"male", "man", "men", "m", "boy", "gentleman", "he", "him", "masculine"}
_NON_BINARY = {"nonbinary", "enby", "genderqueer", "agender", "genderfluid"}
# "Not a man", "anyone but male", "no men please": a negation turns the words around, so
# matching does not guess; the coordinator checks it by hand.
_NEGATION = {"not", "no", "but", "except", "never", "avoid", "without", "dont", "rather", "nor"}


def gender_classes(text: str) -> set[str]:
    """What a free-text gender description says, as a set of "female", "male" and
    "non_binary". Empty when it says none of them (not recorded, "prefer not to say") or
    when it is negated ("not a man"), which matching must not read as its opposite."""
    text = re.sub(r"['’]", "", text.casefold()).replace("non-binary", "nonbinary")
    words = set(re.sub(r"[^a-z]+", " ", text).split())
    if "non" in words and "binary" in words:
        words.add("nonbinary")
    if words & _NEGATION:
        return set()
    found = set()
    if words & _FEMALE:
        found.add("female")
    if words & _MALE:
        found.add("male")
    if words & _NON_BINARY:
        found.add("non_binary")
    return found


def mentor_gender(mentor: Mentor) -> str | None:
    """The mentor's gender as matching can use it, or None when it cannot be confirmed."""
    classes = gender_classes(mentor.gender_self_description)
    return classes.pop() if len(classes) == 1 else None


def words_by_key(values: list[str]) -> dict[str, str]:
    """Each word or phrase keyed by its casefolded form, spaces tidied, blanks left out."""
    return {" ".join(v.split()).casefold(): " ".join(v.split()) for v in values if v.strip()}
