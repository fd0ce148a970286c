"""Reading the area people live in as a postcode district ("LS6"): the referral and mentor
forms ask for one, and matching compares districts to say who lives nearby."""

import re

from django.core.exceptions import ValidationError

# The postcode areas of the UK, the Channel Islands and the Isle of Man: the letters a real
# district starts with. "A1" (a cell, a flat) looks like a district but names no area.
_AREAS = """
AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY
E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE
LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL
SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE
"""
POSTCODE_AREAS = frozenset(_AREAS.split())

_DISTRICT = r"([A-Z]{1,2})([0-9][A-Z0-9]?)"
_FULL = re.compile(rf"\b{_DISTRICT}\s*[0-9][A-Z]{{2}}\b")
_ONLY_DISTRICT = re.compile(rf"^{_DISTRICT}$")

HOME_AREA_ERROR = (
    "Enter the first half of their postcode, like LS6, or leave this blank if they have no "
    "fixed address or it is not known yet"
)


def _district(match: re.Match[str]) -> str | None:
    area, rest = match.group(1), match.group(2)
    return area + rest if area in POSTCODE_AREAS else None


def postcode_district(text: str) -> str | None:
    """The postcode district in a home area ("LS6", "ls6 2ab", "Leeds LS6"), or None.

    A full postcode anywhere in the text wins ("Flat B2, 14 Cardigan Rd, Leeds LS6 1LJ" is
    LS6); failing that, the last word, where an address puts its postcode, if it is only a
    district ("Room E1, Hostel, Bradford BD7" is BD7). A flat, room or wing number ("Wing B2,
    HMP Leeds") is never taken for a district, nor are letters that name no postcode area."""
    upper = text.upper()
    for full in reversed(list(_FULL.finditer(upper))):
        district = _district(full)
        if district:
            return district
    words = re.split(r"[\s,.;]+", upper.strip(" ,.;"))
    last = _ONLY_DISTRICT.match(words[-1]) if words else None
    if last:
        return _district(last)
    compact = re.sub(r"\s+", "", upper)  # "ls 6", "LS62AB"
    whole = _ONLY_DISTRICT.match(compact) or _FULL.fullmatch(compact)
    return _district(whole) if whole else None


def clean_home_area(text: str) -> str:
    """The postcode district of a home area as typed ("ls6", "LS6 2AB", "Leeds LS6" all give
    "LS6"), or "" if none was given: the one rule for mentees and mentors, on forms and in
    imports. Matching compares districts to find mentors nearby, so a town's name is refused;
    a full postcode is cut to its district, as nothing more precise is needed."""
    if not text.strip():
        return ""
    district = postcode_district(text)
    if district is None:
        raise ValidationError(HOME_AREA_ERROR)
    return district


def postcode_area(district: str) -> str:
    """The letters a district starts with: "LS" of "LS6", "SW" of "SW1A"."""
    return re.sub(r"[0-9].*", "", district)
