"""Where the demo's people live and are held is real: postcode districts that exist, men in
men's prisons and women in women's prisons, in every town the national scale uses."""

import io

import pytest
from django.core.management.base import OutputWrapper
from faker.providers.person.en_GB import Provider as Names

from core.postcodes import POSTCODE_AREAS, postcode_district
from demo.places import PATCHES, WOMENS_PRISONS
from demo.seeder import Scale, Seeder
from mentees.models import Mentee, Situation
from schemes.models import PrisonClearance, Scheme

#: Districts that look plausible but do not exist (or no longer do).
NOT_DISTRICTS = {"M10", "BS12", "NE14", *(f"CF{n}" for n in range(16, 23))}
CARDIFF = {"CF3", "CF5", "CF10", "CF11", "CF14", "CF15", "CF23", "CF24"}


def test_every_demo_district_is_a_real_one():
    """Each town's districts read as themselves, start with a real postcode area, and none
    is one that does not exist; Cardiff's are Cardiff's own."""
    for patch in PATCHES:
        assert patch.area in POSTCODE_AREAS
        for district in patch.districts:
            assert postcode_district(district) == district, district
            assert district not in NOT_DISTRICTS, (patch.town, district)
    [cardiff] = [p for p in PATCHES if p.town == "Cardiff"]
    assert set(cardiff.districts) == CARDIFF


def test_each_town_holds_men_and_women_in_their_own_estate():
    """A town's prisons for men are men's prisons; its women's prison is a women's one."""
    for patch in PATCHES:
        assert not WOMENS_PRISONS & set(patch.prisons), patch.town
        assert patch.womens_prison in WOMENS_PRISONS, patch.town


@pytest.mark.django_db
@pytest.mark.slow
def test_at_national_shape_nobody_is_held_in_the_wrong_estate():
    """Seeded the national way (every town, every kind of scheme, towns with several
    schemes), only women are in women's prisons and only men in men's, by name; some women
    are held, and mentors are cleared for women's prisons too, so they can be matched."""
    scale = Scale(schemes=63, mentors=63 * 5, mentees=63 * 30)
    Seeder(seed=3, scale=scale, out=OutputWrapper(io.StringIO())).run()
    assert Scheme.objects.filter(name__endswith=" 2").exists()  # a town's second scheme
    held = Mentee.objects.filter(situation=Situation.IN_CUSTODY)
    women = held.filter(establishment__in=WOMENS_PRISONS)
    men = held.exclude(establishment__in=WOMENS_PRISONS)
    assert women.exists() and men.exists()
    assert set(women.values_list("given_name", flat=True)) <= set(Names.first_names_female)
    assert set(men.values_list("given_name", flat=True)) <= set(Names.first_names_male)
    cleared = set(PrisonClearance.objects.values_list("establishment", flat=True))
    held_in = set(women.values_list("establishment", flat=True))
    assert len(held_in & cleared) >= len(held_in) / 2  # five mentors a scheme here, not 25
