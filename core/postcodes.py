"""Reading the area people live in as a postcode district ("LS6"): the referral form asks for
one, and matching compares districts to say who lives nearby."""

import re

_POSTCODE = re.compile(r"^([A-Z]{1,2})([0-9][A-Z0-9]?)([0-9][A-Z]{2})?$")


def postcode_district(text: str) -> str | None:
    """The postcode district in a home area ("LS6", "ls6 2ab", "Leeds LS6"), or None."""
    for word in re.split(r"[\s,]+", text.upper()):
        match = _POSTCODE.match(word)
        if match:
            return match.group(1) + match.group(2)
    compact = text.replace(" ", "").upper()
    match = _POSTCODE.match(compact)
    return match.group(1) + match.group(2) if match else None


def postcode_area(district: str) -> str:
    """The letters a district starts with: "LS" of "LS6", "SW" of "SW1A"."""
    return re.sub(r"[0-9].*", "", district)
