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
    prisons: tuple[str, ...]  # men's prisons
    womens_prison: str  # the women's prison its women are held in (there are none in Wales)


def _patch(
    town: str, area: str, numbers: range | tuple[int, ...], prisons: tuple[str, str], women: str
) -> Patch:
    districts = tuple(f"{area}{n}" for n in numbers)
    return Patch(town=town, area=area, districts=districts, prisons=prisons, womens_prison=women)


def _upto(last: int, *, skip: tuple[int, ...] = ()) -> tuple[int, ...]:
    return tuple(n for n in range(1, last + 1) if n not in skip)


# Real districts only: there is no M10, BS12 (long recoded), NE14 or CF16-CF22; Cardiff's
# own are listed by hand.
PATCHES = [
    _patch("Leeds", "LS", _upto(17), ("HMP Leeds", "HMP Wealstun"), "HMP New Hall"),
    _patch("Manchester", "M", (8, 9, *range(11, 24)), ("HMP Manchester", "HMP Forest Bank"),
           "HMP Styal"),
    _patch("Bristol", "BS", _upto(16, skip=(12,)), ("HMP Bristol", "HMP Leyhill"),
           "HMP Eastwood Park"),
    _patch("Sheffield", "S", _upto(14), ("HMP Doncaster", "HMP Lindholme"), "HMP New Hall"),
    _patch("Liverpool", "L", range(4, 26), ("HMP Liverpool", "HMP Altcourse"), "HMP Styal"),
    _patch("Birmingham", "B", range(5, 39), ("HMP Birmingham", "HMP Featherstone"),
           "HMP Drake Hall"),
    _patch("Nottingham", "NG", _upto(17), ("HMP Nottingham", "HMP Lowdham Grange"),
           "HMP Foston Hall"),
    _patch("Newcastle", "NE", _upto(15, skip=(14,)), ("HMP Durham", "HMP Northumberland"),
           "HMP Low Newton"),
    _patch("Cardiff", "CF", (10, 11, 14, 23, 24, 5, 3, 15), ("HMP Cardiff", "HMP Parc"),
           "HMP Eastwood Park"),
    _patch("Hull", "HU", _upto(17), ("HMP Hull", "HMP Humber"), "HMP Askham Grange"),
    _patch("Leicester", "LE", _upto(19), ("HMP Leicester", "HMP Gartree"), "HMP Foston Hall"),
    _patch("Bradford", "BD", _upto(22), ("HMP Leeds", "HMP Wakefield"), "HMP New Hall"),
    _patch("South London", "SE", _upto(28), ("HMP Brixton", "HMP Belmarsh"), "HMP Downview"),
    _patch("East London", "E", _upto(18), ("HMP Thameside", "HMP Pentonville"),
           "HMP Bronzefield"),
    _patch("Plymouth", "PL", _upto(9), ("HMP Exeter", "HMP Channings Wood"),
           "HMP Eastwood Park"),
    _patch("Norwich", "NR", _upto(14), ("HMP Norwich", "HMP Wayland"), "HMP Peterborough"),
    _patch("Stoke-on-Trent", "ST", _upto(8), ("HMP Stoke Heath", "HMP Dovegate"),
           "HMP Drake Hall"),
    _patch("Swansea", "SA", _upto(12), ("HMP Swansea", "HMP Parc"), "HMP Eastwood Park"),
    _patch("Middlesbrough", "TS", _upto(10), ("HMP Holme House", "HMP Kirklevington Grange"),
           "HMP Low Newton"),
    _patch("Preston", "PR", _upto(9), ("HMP Preston", "HMP Garth"), "HMP Styal"),
]  # fmt: skip
#: The women's prisons of England (Wales has none): no demo man is held in one.
WOMENS_PRISONS = frozenset(
    {
        "HMP Askham Grange", "HMP Bronzefield", "HMP Downview", "HMP Drake Hall",
        "HMP East Sutton Park", "HMP Eastwood Park", "HMP Foston Hall", "HMP Low Newton",
        "HMP New Hall", "HMP Peterborough", "HMP Send", "HMP Styal",
    }
)  # fmt: skip
#: People cluster: most live in a scheme's first few districts, so some share a district.
CORE_DISTRICTS = 6


def district_in(patch: Patch, roll: float, pick: int) -> str:
    """A district of ``patch`` from two random numbers (``roll`` in [0, 1), ``pick`` any
    non-negative int): seven in ten in its first few districts, the rest anywhere in it."""
    districts = patch.districts[:CORE_DISTRICTS] if roll < 0.7 else patch.districts
    return districts[pick % len(districts)]
