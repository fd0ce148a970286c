"""Small-number suppression for every table that counts people by a personal characteristic.

Two steps, both applied before a table is built, so the screen, the json figures and every
export file show the same cells and none of them ever holds the raw small count:

- **Primary**: a count from 1 to 4 is shown ``"<5"`` (``PRIMARY``). A 0 is shown as 0.
- **Secondary**: a count hidden only by the first step could be worked out from a total
  published elsewhere (the funnel's stage totals are the sum of a breakdown's rows, "Not
  asked" included): with one cell hidden in a column, the total minus the cells shown is that
  cell. So in every group of cells whose total is published, further cells are hidden
  (``SECONDARY``, "[c]"), the smallest non-zero count first, until no "<5" cell can be pinned
  to one value from the total, the cells shown and what a reader knows of the hidden ones (a
  "<5" is 1 to 4; a "[c]" is 0 or at least 5). With one hidden cell this is the usual rule
  (hide the next smallest too); the check also catches the pairs a reader could still solve,
  such as a "<5" and a "[c]" hidden together from a total of 6 (they must be 1 and 5).
  No group is left with a single hidden cell of either kind. When even every cell of a group
  hidden leaves a "<5" pinned (its only non-zero count is small: a total of 3 at "ended as
  planned", all in one group), the whole group shows "[c]", so nothing says which cell holds
  the people. Repeated until nothing changes,
  since a cell hidden for one group may belong to another (a row and a column). This is the
  usual rule of thumb, not a full linear-programming audit of every combination of totals;
  in the equality breakdowns each cell is in one group only (its column), where it is exact.

A rate is hidden too when either count it is made of is hidden (``hidden_rate``). The method
is written up in ``docs/reports.md`` ("Small numbers").
"""

from collections.abc import Sequence

from reports.report import SUPPRESS_BELOW

PRIMARY = f"<{SUPPRESS_BELOW}"
SECONDARY = "[c]"
#: What a hidden cell says, as a table's note and the key under it on screen and in files.
SUPPRESSION_KEY = (
    f"{PRIMARY}: 1 to {SUPPRESS_BELOW - 1} people, hidden to protect privacy. {SECONDARY}: "
    "hidden as well, so that a total shown elsewhere in the report cannot reveal a hidden count."
)

Cell = int | str
#: A group of cells whose total is published (in this table or elsewhere): (row, column) pairs.
Group = Sequence[tuple[int, int]]


def is_hidden(value: object) -> bool:
    """Whether a cell is one of the suppression markers."""
    return value in (PRIMARY, SECONDARY)


def _primary(count: int) -> bool:
    return 0 < count < SUPPRESS_BELOW


def _pinned(counts: list[list[int]], hidden: dict[tuple[int, int], str], group: Group) -> bool:
    """Whether a hidden cell of ``group`` could be worked out: it is the only one hidden (any
    kind: a "[c]" worked out from a row would give back a "<5" in its column), or some "<5"
    cell has only one value consistent with the group's total less the cells shown, knowing
    "<5" is 1-4 and "[c]" is 0 or 5 and over.

    The hidden cells' sum is known. For one "<5" cell of value ``x``, the other hidden cells
    must make up the rest: the other "<5" cells ``k`` of them give any whole number from ``k``
    to ``4k``, and the "[c]" cells add 0 or anything from 5 up (nothing when there are none).
    """
    cells = [cell for cell in group if cell in hidden]
    if len(cells) == 1:
        return True  # the total gives it back, and with it a cell of another group it is in
    if not any(hidden[cell] == PRIMARY for cell in cells):
        return False
    total = sum(counts[r][c] for r, c in cells)
    others_primary = sum(1 for cell in cells if hidden[cell] == PRIMARY) - 1
    has_secondary = any(hidden[cell] == SECONDARY for cell in cells)
    top = SUPPRESS_BELOW - 1

    def possible(x: int) -> bool:
        rest = total - x
        low, high = others_primary, top * others_primary
        return low <= rest <= high or (has_secondary and rest >= low + SUPPRESS_BELOW)

    return sum(1 for x in range(1, SUPPRESS_BELOW) if possible(x)) < 2


def suppressed_cells(
    counts: list[list[int]], groups: Sequence[Group]
) -> dict[tuple[int, int], str]:
    """Which cells to hide, and with which marker: the primary cells, then the secondary ones
    each group needs (see the module's docstring)."""
    hidden = {
        (r, c): PRIMARY
        for r, row in enumerate(counts)
        for c, count in enumerate(row)
        if _primary(count)
    }
    changed = True
    while changed:
        changed = False
        for group in groups:
            while _pinned(counts, hidden, group):
                shown = [cell for cell in group if cell not in hidden]
                if not shown:
                    # Its only non-zero count is small: with every cell hidden, a "<5" would
                    # still say where the people are. All "[c]": the total says nothing more.
                    small = [cell for cell in group if hidden.get(cell) == PRIMARY]
                    hidden.update({cell: SECONDARY for cell in small})
                    changed = changed or bool(small)
                    break
                # The smallest non-zero count first (a hidden 0 adds no doubt); then position.
                cell = min(
                    shown, key=lambda rc: (counts[rc[0]][rc[1]] == 0, counts[rc[0]][rc[1]], rc)
                )
                hidden[cell] = SECONDARY
                changed = True
    return hidden


def column_groups(counts: list[list[int]]) -> list[list[tuple[int, int]]]:
    """Each column as a group: the breakdown's rows add up to a total shown elsewhere."""
    width = len(counts[0]) if counts else 0
    return [[(r, c) for r in range(len(counts))] for c in range(width)]


def suppress_breakdown(
    counts: list[list[int]], groups: Sequence[Group] | None = None
) -> list[list[Cell]]:
    """The counts of a breakdown (a row per group of people, a column per count) as they may
    be shown: primary and secondary suppression, with every column a group whose total is
    published unless ``groups`` says otherwise."""
    hidden = suppressed_cells(counts, column_groups(counts) if groups is None else groups)
    return [
        [hidden.get((r, c), count) for c, count in enumerate(row)] for r, row in enumerate(counts)
    ]


def hidden_rate(numerator: Cell, denominator: Cell) -> float | str | None:
    """A share from 0 to 1, hidden ("[c]") when either count is hidden, ``None`` when there is
    nothing to divide by."""
    if is_hidden(numerator) or is_hidden(denominator):
        return SECONDARY
    if not denominator:
        return None
    return int(numerator) / int(denominator)
