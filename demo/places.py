"""Where the demo's schemes work: a town, its postcode area, the districts the scheme's people
live in and the prisons its people are held in.

Mentors and mentees live in their scheme's postcode districts ("LS6", as the referral form
asks), so matching can say who lives nearby (``relationships.matching.text`` reads postcode
districts), and a resettlement scheme's mentors are cleared for the prisons its people are in,
so someone in custody can be matched at all.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Patch:
    town: str
    area: str  # the postcode area's letters: "LS"
    districts: tuple[str, ...]
    prisons: tuple[str, ...]


def _patch(town: str, area: str, first: int, last: int, prisons: tuple[str, str]) -> Patch:
    districts = tuple(f"{area}{n}" for n in range(first, last + 1))
    return Patch(town=town, area=area, districts=districts, prisons=prisons)


PATCHES = [
    _patch("Leeds", "LS", 1, 17, ("HMP Leeds", "HMP Wealstun")),
    _patch("Manchester", "M", 8, 23, ("HMP Manchester", "HMP Forest Bank")),
    _patch("Bristol", "BS", 1, 16, ("HMP Bristol", "HMP Eastwood Park")),
    _patch("Sheffield", "S", 1, 14, ("HMP Doncaster", "HMP Lindholme")),
    _patch("Liverpool", "L", 4, 25, ("HMP Liverpool", "HMP Altcourse")),
    _patch("Birmingham", "B", 5, 38, ("HMP Birmingham", "HMP Featherstone")),
    _patch("Nottingham", "NG", 1, 17, ("HMP Nottingham", "HMP Lowdham Grange")),
    _patch("Newcastle", "NE", 1, 15, ("HMP Durham", "HMP Northumberland")),
    _patch("Cardiff", "CF", 3, 24, ("HMP Cardiff", "HMP Parc")),
    _patch("Hull", "HU", 1, 17, ("HMP Hull", "HMP Humber")),
    _patch("Leicester", "LE", 1, 19, ("HMP Leicester", "HMP Gartree")),
    _patch("Bradford", "BD", 1, 22, ("HMP Leeds", "HMP Wakefield")),
    _patch("South London", "SE", 1, 28, ("HMP Brixton", "HMP Belmarsh")),
    _patch("East London", "E", 1, 18, ("HMP Thameside", "HMP Pentonville")),
    _patch("Plymouth", "PL", 1, 9, ("HMP Exeter", "HMP Channings Wood")),
    _patch("Norwich", "NR", 1, 14, ("HMP Norwich", "HMP Wayland")),
    _patch("Stoke-on-Trent", "ST", 1, 8, ("HMP Stoke Heath", "HMP Dovegate")),
    _patch("Swansea", "SA", 1, 12, ("HMP Swansea", "HMP Parc")),
    _patch("Middlesbrough", "TS", 1, 10, ("HMP Holme House", "HMP Kirklevington Grange")),
    _patch("Preston", "PR", 1, 9, ("HMP Preston", "HMP Garth")),
]
#: People cluster: most live in a scheme's first few districts, so some share a district.
CORE_DISTRICTS = 6


def district_in(patch: Patch, roll: float, pick: int) -> str:
    """A district of ``patch`` from two random numbers (``roll`` in [0, 1), ``pick`` any
    non-negative int): seven in ten in its first few districts, the rest anywhere in it."""
    districts = patch.districts[:CORE_DISTRICTS] if roll < 0.7 else patch.districts
    return districts[pick % len(districts)]
