"""What a reader could work out from a breakdown and a published total: the check the
suppression tests use, written independently of ``reports.suppression``.

A reader sees each cell (a number, "<5" or "[c]") and the column's total, published in the
funnel. They know a "<5" is 1 to 4 and a "[c]" is 0 or 5 and over (it would be "<5" if it
were 1 to 4). Trying every value each hidden cell could take, this lists the values each
"<5" cell could have: one value means the cell was revealed.
"""

import itertools

from reports.report import suppress


def possible_values(shown: list[int | str], total: int) -> dict[int, set[int]]:
    """For each "<5" cell (by position), every value consistent with the total."""
    hidden = [i for i, v in enumerate(shown) if isinstance(v, str)]
    known = sum(v for v in shown if isinstance(v, int))
    domains = [range(1, 5) if shown[i] == "<5" else [0, *range(5, total + 1)] for i in hidden]
    found: dict[int, set[int]] = {i: set() for i in hidden if shown[i] == "<5"}
    for values in itertools.product(*domains):
        if known + sum(values) == total:
            for i, value in zip(hidden, values, strict=True):
                if i in found:
                    found[i].add(value)
    return found


def revealed(shown: list[int | str], total: int) -> dict[int, int]:
    """The "<5" cells a reader can pin to one value, and that value."""
    return {i: next(iter(v)) for i, v in possible_values(shown, total).items() if len(v) == 1}


def naive(counts: list[int]) -> list[int | str]:
    """Primary suppression alone (``reports.report.suppress`` on each cell)."""
    return [suppress(c) for c in counts]


def revealed_in_grid(
    shown: list[list[int | str]], counts: list[list[int]], groups: list[list[tuple[int, int]]]
) -> dict[tuple[int, int], int]:
    """The "<5" cells a reader can pin down in a grid whose groups' totals are all published:
    first solving every group with one hidden cell left (and again with what that solved),
    then trying every value in each group."""
    grid = [list(row) for row in shown]
    changed = True
    while changed:
        changed = False
        for group in groups:
            unknown = [(r, c) for r, c in group if isinstance(grid[r][c], str)]
            if len(unknown) == 1:
                r, c = unknown[0]
                total = sum(counts[rr][cc] for rr, cc in group)
                grid[r][c] = total - sum(grid[rr][cc] for rr, cc in group if (rr, cc) != (r, c))
                changed = True
    found = {
        (r, c): grid[r][c]
        for r, row in enumerate(shown)
        for c, value in enumerate(row)
        if value == "<5" and not isinstance(grid[r][c], str)
    }
    for group in groups:
        cells = [grid[r][c] for r, c in group]
        total = sum(counts[r][c] for r, c in group)
        for i, value in revealed(cells, total).items():
            found[group[i]] = value
    return found


def revealed_by_search(
    shown: list[list[int | str]],
    counts: list[list[int]],
    groups: list[list[tuple[int, int]]],
    ordered_rows: bool = False,
) -> dict[tuple[int, int], int]:
    """The hidden small counts ("<5", or "[c]" over 1 to 4) a reader can pin down by trying
    every value of every hidden cell of the grid at once: each group adds up to its
    published total, a "<5" is 1 to 4, a "[c]" 0 or 5 up to its groups' totals; with
    ``ordered_rows`` each row is funnel stages in order, so a cell is at most any cell
    before it in its row (its "Referred" first) wherever that is true of the counts (a
    reader may assume it; where it is false they are only wrong). A cell in several groups
    (a "Not asked" row shared by several tables) is one value. A "[c]" in a group hidden
    whole (no "<5", every other cell a 0), may be any count (the rule for a group whose
    only people are a small group, which a reader can see applied)."""
    cells = [(r, c) for r, row in enumerate(shown) for c, v in enumerate(row) if isinstance(v, str)]
    known = {
        (r, c): v for r, row in enumerate(shown) for c, v in enumerate(row) if isinstance(v, int)
    }
    totals = [sum(counts[r][c] for r, c in group) for group in groups]
    cap = {cell: min(t for g, t in zip(groups, totals, strict=True) if cell in g) for cell in cells}
    # A group all hidden, with no "<5" in it, may be one whose only people are a small
    # group, hidden whole: its "[c]" cells may then hold 1 to 4 as well, as a reader can tell.
    # (Its cells a reader knows are 0, in a row whose "Referred" is 0, may be shown as 0.)
    whole = {
        cell
        for group in groups
        if all(shown[r][c] == "[c]" or shown[r][c] == 0 for r, c in group)
        for cell in group
    }
    domains = {
        cell: range(1, 5)
        if shown[cell[0]][cell[1]] == "<5"
        else range(0, cap[cell] + 1)
        if cell in whole
        else [0, *range(5, cap[cell] + 1)]
        for cell in cells
    }
    pairs = [
        ((r, i), (r, j))
        for r, row in enumerate(counts)
        for i in range(len(row))
        for j in range(i + 1, len(row))
        if ordered_rows and row[i] >= row[j]
    ]
    # Every hidden small count, "<5" or "[c]": a "[c]" over 1 to 4 must leave doubt too.
    found: dict[tuple[int, int], set[int]] = {
        cell: set() for cell in cells if 0 < counts[cell[0]][cell[1]] < 5
    }
    values: dict[tuple[int, int], int] = dict(known)

    def fits() -> bool:
        for group, total in zip(groups, totals, strict=True):
            done = [values[cell] for cell in group if cell in values]
            rest = [domains[cell] for cell in group if cell not in values]
            low = sum(done) + sum(min(d) for d in rest)
            high = sum(done) + sum(max(d) for d in rest)
            if not low <= total <= high:
                return False
        return all(values[a] >= values[b] for a, b in pairs if a in values and b in values)

    def search(i: int) -> None:
        if all(len(v) > 1 for v in found.values()):
            return  # every "<5" already has two values: nothing is revealed
        if i == len(cells):
            for cell in found:
                found[cell].add(values[cell])
            return
        for value in domains[cells[i]]:
            values[cells[i]] = value
            if fits():
                search(i + 1)
            del values[cells[i]]

    if fits():
        search(0)
    return {cell: next(iter(v)) for cell, v in found.items() if len(v) == 1}
