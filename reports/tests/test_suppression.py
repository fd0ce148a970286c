"""Primary and secondary suppression (``reports.suppression``), on counts alone: no total
published anywhere gives back a count from 1 to 4."""

from reports.suppression import (
    PRIMARY,
    SECONDARY,
    WITHHELD,
    hidden_rate,
    suppress_breakdown,
    suppress_breakdowns,
    suppressed_cells,
)
from reports.tests.disclosure import naive, revealed, revealed_by_search, revealed_in_grid


def _column(values: list[int]) -> list[int | str]:
    return [row[0] for row in suppress_breakdown([[v] for v in values])]


def test_a_count_from_1_to_4_is_shown_as_under_5_and_0_stays_0():
    """Primary suppression: 1 to 4 are "<5"; 0 and 5 and over are shown as they are (here
    with two small counts in the column, so nothing else needs hiding)."""
    assert _column([0, 3, 2, 7, 30]) == [0, PRIMARY, PRIMARY, 7, 30]


def test_one_small_count_in_a_column_hides_the_next_smallest_too():
    """With one "<5" in a column, the total minus the cells shown would be that count: the
    smallest other non-zero count is hidden as well, and then nothing can be worked out."""
    counts = [3, 20, 0, 12, 6]  # 6 is "Not asked": it is hidden like any other cell
    assert revealed(naive(counts), sum(counts)) == {0: 3}  # what primary suppression alone gives
    shown = _column(counts)
    assert shown == [PRIMARY, 20, 0, 12, SECONDARY]
    assert revealed(shown, sum(counts)) == {}


def test_a_pair_a_reader_could_still_solve_is_not_the_one_hidden():
    """A "<5" and a "[c]" hidden from a total of 6 can only be 1 and 5, so the 5 is passed
    over for the next count, the 9: a "<5" and a "[c]" making 10 could be 1 and 9 up to 4
    and 6."""
    counts = [1, 5, 9, 40]
    assert revealed([PRIMARY, SECONDARY, 9, 40], sum(counts)) == {0: 1}
    shown = _column(counts)
    assert shown == [PRIMARY, 5, SECONDARY, 40]
    assert revealed(shown, sum(counts)) == {}


def test_a_zero_is_hidden_only_when_no_other_count_is_left():
    """A hidden 0 adds no doubt, so the smallest non-zero count is chosen before any 0."""
    shown = _column([2, 0, 0, 50])
    assert shown == [PRIMARY, 0, 0, SECONDARY]
    assert revealed(shown, 52) == {}


def test_a_column_whose_only_people_are_a_small_group_is_hidden_whole():
    """All 3 people at a stage in one group: hiding the 0s beside a "<5" would still say
    where they are (the total is 3), so every cell of the column is "[c]"."""
    shown = _column([0, 3, 0, 0])
    assert shown == [SECONDARY] * 4
    assert PRIMARY not in shown


def test_rows_and_columns_are_both_protected_until_nothing_changes():
    """Hiding a cell for a column can leave a row with one hidden cell, which its total would
    give back, and then the column's small count with it: the loop goes on until no row or
    column whose total is published has a single hidden cell or a "<5" it pins down."""
    counts = [[3, 10, 20], [8, 9, 30], [12, 40, 50]]
    rows = [[(r, c) for c in range(3)] for r in range(3)]
    columns = [[(r, c) for r in range(3)] for c in range(3)]
    groups = [*rows, *columns]
    primary_only = [[naive([v])[0] for v in row] for row in counts]
    assert revealed_in_grid(primary_only, counts, groups) == {(0, 0): 3}
    hidden = suppressed_cells(counts, groups)
    shown = [[hidden.get((r, c), counts[r][c]) for c in range(3)] for r in range(3)]
    assert revealed_in_grid(shown, counts, groups) == {}
    assert sum(1 for row in shown for v in row if v == SECONDARY) >= 3


def test_a_rate_made_from_a_hidden_count_is_hidden():
    """A share whose numerator or denominator is hidden would give the count back."""
    assert hidden_rate(PRIMARY, 20) == SECONDARY
    assert hidden_rate(3, SECONDARY) == SECONDARY
    assert hidden_rate(5, 20) == 0.25
    assert hidden_rate(0, 0) is None


#: Referred and matched by gender, "Not asked" last: the man's row has 5 referred, so a "[c]"
#: for his 5 matched could only be 0 or 5, and the matched total (28) would then say which.
ROW_BOUNDED = [[10, 3], [5, 5], [0, 0], [0, 0], [20, 20]]


def test_a_secondary_cell_is_not_one_its_rows_referred_count_gives_back():
    """The reader knows a stage never holds more people than "Referred" in its row: hiding
    the man's 5 matched beside the woman's 3 would leave 3 + 5 = 8 as the only answer, so
    another cell is hidden, and no value can be pinned down under the row bounds."""
    counts = ROW_BOUNDED
    groups = [[(r, c) for r in range(5)] for c in range(2)]
    naive_pick = [[10, PRIMARY], [5, SECONDARY], [0, 0], [0, 0], [20, 20]]
    assert revealed_by_search(naive_pick, counts, groups, ordered_rows=True) == {(0, 1): 3}
    shown = suppress_breakdown(counts, ordered_rows=True)
    assert shown[0][1] == PRIMARY
    assert revealed_by_search(shown, counts, groups, ordered_rows=True) == {}
    assert revealed_by_search(shown, counts, groups) == {}


def test_a_referred_count_under_5_bounds_the_cells_after_it():
    """A row whose "Referred" is "<5" holds at most 4 at every later stage: with that bound
    known, still no small count in the table can be pinned down."""
    counts = [[4, 4], [30, 9], [20, 6]]
    shown = suppress_breakdown(counts, ordered_rows=True)
    groups = [[(r, c) for r in range(3)] for c in range(2)]
    assert shown[0] == [PRIMARY, PRIMARY]
    assert revealed_by_search(shown, counts, groups, ordered_rows=True) == {}


def test_small_counts_shared_out_between_two_stages_are_not_pinned():
    """Matched and met by six groups, most of them small: with every met count at most its
    matched one, the matched cells beyond the met ones add up to 2, so two groups of one
    matched and none met would be 1 each. Found by trying values against the two columns'
    row-by-row differences, and hidden further."""
    counts = [[3, 1, 0], [7, 6, 5], [1, 1, 1], [1, 1, 1], [20, 3, 3], [2, 1, 0]]
    shown = suppress_breakdown(counts, ordered_rows=True)
    groups = [[(r, c) for r in range(6)] for c in range(3)]
    assert revealed_by_search(shown, counts, groups, ordered_rows=True) == {}


def test_a_zero_in_a_row_nobody_is_in_is_never_hidden():
    """A row whose "Referred" is 0 holds nobody at any stage: a "[c]" there protects nothing,
    so its cells stay 0, alone or as a "Not asked" row shared by several tables."""
    counts = [[5, 0], [0, 0], [7, 3]]
    shown = suppress_breakdowns([counts])[0]
    assert shown == [[5, SECONDARY], [0, 0], [7, SECONDARY]]
    groups = [[(r, c) for r in range(3)] for c in range(2)]
    assert revealed_by_search(shown, counts, groups, ordered_rows=True) == {}
    first, second = [[5, 0], [7, 3], [0, 0]], [[6, 3], [6, 0], [0, 0]]
    for table in suppress_breakdowns([first, second], linked=[0, 1]):
        assert table[2] == [0, 0]  # the "Not asked" row both tables share
        assert table[1][1] == SECONDARY


def test_a_small_count_only_one_row_could_hold_is_withheld_not_pretended():
    """Everyone referred is in one row: its 3 matched are the published total, so "[c]" would
    only pretend (the checker now tests a "[c]" over a small count too); the cells that could
    hold them are withheld, and the empty rows' 0s stay."""
    counts = [[7, 3, 0], [0, 0, 0]]
    groups = [[(r, c) for r in range(2)] for c in range(3)]
    pretend = [[7, SECONDARY, 0], [0, SECONDARY, 0]]
    assert revealed_by_search(pretend, counts, groups, ordered_rows=True) == {(0, 1): 3}
    assert suppress_breakdowns([counts]) == [[[7, WITHHELD, 0], [0, 0, 0]]]
    assert suppress_breakdowns([[[0, 0], [5, 2]]]) == [[[0, 0], [5, WITHHELD]]]
