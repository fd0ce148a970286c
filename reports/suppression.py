"""Small-number suppression for every table that counts people by a personal characteristic.

Two steps, both applied before a table is built, so the screen, the json figures and every
export file show the same cells and none of them ever holds the raw small count:

- **Primary**: a count from 1 to 4 is shown ``"<5"`` (``PRIMARY``). A 0 is shown as 0.
- **Secondary**: a count hidden only by the first step could be worked out from a total
  published elsewhere (the funnel's stage totals are the sum of a breakdown's rows, "Not
  asked" included): with one cell hidden in a column, the total minus the cells shown is that
  cell. So in every group of cells whose total is published, further cells are hidden
  (``SECONDARY``, "[c]") until no group has a single hidden cell and no "<5" can be pinned to
  one value. What a reader knows is worked out for every hidden cell at once (``_Grid``): a
  "<5" is 1 to 4, a "[c]" 0 or 5 and over; each group adds up to its total; and in a
  breakdown by funnel stage (``ordered_rows``) a cell is at most the cells before it in its
  row and at least those after it, wherever that is true of the counts, so a "[c]" in a row
  of 5 referred is 0 or 5 and a row whose "Referred" is "<5" holds at most 4 anywhere. Those
  bounds are narrowed round after round until nothing changes, with two columns of the same
  rows also narrowed by their row-by-row differences (0 or more where the order holds, adding
  up to the difference of the totals); then each small count's other values are tried in
  turn, and it is pinned if none of them fits. The next cell hidden is the
  smallest non-zero count whose own bounds would leave a reader in doubt (not a 5 beside a
  "<5" from a total of 6, which could only be 1 and 5). A 0 in a row whose earlier stage is
  shown 0 (its "Referred" 0) is never hidden: nobody can be there, so it protects nothing.
  When no cell left adds doubt (its only non-zero count is small: a total of 3 at "ended as
  planned", all in one group), the group's cells that could hold people all show "[c]", so
  nothing says which holds them; if only one could (the total then is that cell), they are
  ``WITHHELD`` and the caller withholds the table, rather than show a "[c]" that pretends.
  ``suppress_breakdowns`` suppresses several breakdowns of one cohort together, the rows of
  the same people in each (the questions' "Not asked") as one.

  This narrows by bounds rather than a full integer-programming audit, so a combination of
  constraints it does not join up could in principle pin more than it sees; the tests check
  it with an independent search over every value (``reports/tests/disclosure.py``), which
  also found nothing pinned in some 2,000 random small tables (up to 6 rows by 4 stages, and
  pairs of tables sharing a "Not asked" row) when this was written. It protects one report, not the
  difference between two (``reports.sections.equality`` shows the breakdown only for whole
  quarters for that reason).

A rate is hidden too when either count it is made of is hidden (``hidden_rate``). The method
is written up in ``docs/reports.md`` ("Small numbers").
"""

from collections.abc import Iterable, Iterator, Sequence

from reports.report import SUPPRESS_BELOW

PRIMARY = f"<{SUPPRESS_BELOW}"
SECONDARY = "[c]"
#: A cell of a group no hiding can protect (see ``suppressed_cells``): the caller withholds it.
WITHHELD = "[w]"
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


# What a reader knows of a cell: whole numbers in a few closed intervals, sorted and apart.
Domain = list[tuple[int, int]]
#: Rounds of narrowing before the check stops (each round only narrows; it ends far sooner).
ROUNDS = 50


def _merge(intervals: list[tuple[int, int]]) -> Domain:
    merged: Domain = []
    for low, high in sorted(intervals):
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def _meet(a: Domain, b: Domain) -> Domain:
    return _merge(
        [
            (max(x[0], y[0]), min(x[1], y[1]))
            for x in a
            for y in b
            if max(x[0], y[0]) <= min(x[1], y[1])
        ]
    )


def _plus(a: Domain, b: Domain) -> Domain:
    return _merge([(x[0] + y[0], x[1] + y[1]) for x in a for y in b])


def _size(domain: Domain) -> int:
    return sum(high - low + 1 for low, high in domain)


class _Grid:
    """A table's counts, the groups whose totals are published and the pairs of cells a
    reader knows are in order (``(earlier, later)``: the later is never the greater)."""

    def __init__(self, counts: list[list[int]], groups: Sequence[Group], ordered_rows: bool):
        self.counts = {(r, c): v for r, row in enumerate(counts) for c, v in enumerate(row)}
        self.groups = groups
        self.cap = sum(self.counts.values())
        # Stages in a row: a later one is at most an earlier one. Only the pairs where that
        # holds are used (a reader who assumes it elsewhere is wrong, not better informed).
        self.pairs = [
            ((r, i), (r, j))
            for r, row in enumerate(counts)
            for i in range(len(row))
            for j in range(i + 1, len(row))
            if ordered_rows and row[i] >= row[j]
        ]
        self.ordered = set(self.pairs)
        # Two columns of the same rows (an earlier stage and a later one): the differences
        # row by row add up to the difference of their totals, and are 0 or more wherever
        # the rows' order holds. Which pins a small count the columns alone leave open.
        self.ladders = [
            (upper, lower)
            for upper in groups
            for lower in groups
            if ordered_rows
            and len(upper) == len(lower)
            and len({c for _, c in upper}) == 1
            and [(r, c) for (r, _), (_, c) in zip(upper, lower, strict=True)] == list(lower)
            and upper[0][1] < lower[0][1]
        ]

    def domains(
        self, hidden: dict[tuple[int, int], str], fixed: tuple[tuple[int, int], int] | None = None
    ) -> dict[tuple[int, int], Domain] | None:
        """What a reader can narrow each cell to: a shown count is itself, a "<5" 1 to 4, a
        "[c]" 0 or 5 and over; then each group's total and each ordered pair narrow them,
        round after round, until nothing changes. A "[c]" over a small count (a group hidden
        whole) is taken as anything from 0, since the reader's "0 or 5 and over" is wrong.
        ``fixed``: a cell supposed to hold one value; ``None`` when that is impossible."""
        top = SUPPRESS_BELOW - 1
        domain: dict[tuple[int, int], Domain] = {}
        for cell, count in self.counts.items():
            if cell not in hidden:
                domain[cell] = [(count, count)]
            elif hidden[cell] == PRIMARY:
                domain[cell] = [(1, top)]
            elif hidden[cell] == WITHHELD or _primary(count):
                domain[cell] = [(0, self.cap)]
            else:
                domain[cell] = _merge([(0, 0), (SUPPRESS_BELOW, self.cap)])
        if fixed is not None:
            domain[fixed[0]] = _meet(domain[fixed[0]], [(fixed[1], fixed[1])])
        for _ in range(ROUNDS):
            before = dict(domain)
            for group in self.groups:
                total = sum(self.counts[cell] for cell in group)
                for cell in group:
                    if cell not in hidden:
                        continue
                    others: Domain = [(0, 0)]
                    for other in group:
                        if other != cell:
                            others = _plus(others, domain[other])
                    left = [(total - high, total - low) for low, high in others]
                    domain[cell] = _meet(domain[cell], _merge(left))
            for earlier, later in self.pairs:
                if not domain[earlier]:
                    return None
                domain[later] = _meet(domain[later], [(0, domain[earlier][-1][1])])
                if not domain[later]:
                    return None
                domain[earlier] = _meet(domain[earlier], [(domain[later][0][0], self.cap)])
            if not all(domain.values()) or not self._ladders(domain):
                return None
            if domain == before:
                break
        return domain

    def _ladders(self, domain: dict[tuple[int, int], Domain]) -> bool:
        """Narrows ``domain`` by each pair of columns' row-by-row differences (see
        ``ladders``); ``False`` when a cell runs out of values."""
        for upper, lower in self.ladders:
            total = sum(self.counts[a] - self.counts[b] for a, b in zip(upper, lower, strict=True))
            gaps = []
            for a, b in zip(upper, lower, strict=True):
                low = domain[a][0][0] - domain[b][-1][1]
                gaps.append(
                    (
                        max(low, 0) if (a, b) in self.ordered else low,
                        domain[a][-1][1] - domain[b][0][0],
                    )
                )
            least, most = sum(g[0] for g in gaps), sum(g[1] for g in gaps)
            for (a, b), (low, high) in zip(zip(upper, lower, strict=True), gaps, strict=True):
                low, high = max(low, total - (most - high)), min(high, total - (least - low))
                if low > high:
                    return False
                domain[a] = _meet(domain[a], [(domain[b][0][0] + low, domain[b][-1][1] + high)])
                if not domain[a]:
                    return False
                domain[b] = _meet(domain[b], [(domain[a][0][0] - high, domain[a][-1][1] - low)])
                if not domain[b]:
                    return False
        return True

    def pinned(self, hidden: dict[tuple[int, int], str]) -> Iterator[tuple[int, int]]:
        """The small counts a reader can pin to one value, lazily: first those ``domains``
        narrows to one value; then, for each other, every value left but its own is tried in
        turn and it is pinned if none of them lets the rest be narrowed without running out
        of values (which catches a column of small counts whose total, with the rows'
        bounds, leaves one way to share it out). Its own value always fits."""
        small = [
            cell for cell in hidden if hidden[cell] != WITHHELD and _primary(self.counts[cell])
        ]
        domain = self.domains(hidden)
        if domain is None:  # cannot be: the true counts always fit; if so, hide more
            yield from small
            return
        yield from (cell for cell in small if _size(domain[cell]) == 1)
        for cell in small:
            values = [v for low, high in domain[cell] for v in range(low, min(high, low + 4) + 1)]
            others = (v for v in values if v != self.counts[cell])
            if _size(domain[cell]) > 1 and not any(
                self.domains(hidden, (cell, v)) is not None for v in others
            ):
                yield cell

    def exposed_group(self, hidden: dict[tuple[int, int], str]) -> Group | None:
        """A group that needs another hidden cell: one with a single hidden cell (its total
        gives it back), or one holding a small count a reader can pin to one value; ``None``
        when there is none it can be helped in."""
        for group in self.groups:
            if sum(1 for cell in group if cell in hidden) == 1 and self._helpable(group, hidden):
                return group
        for cell in self.pinned(hidden):
            for group in self.groups:
                if cell in group and self._helpable(group, hidden):
                    return group
        return None

    def _helpable(self, group: Group, hidden: dict[tuple[int, int], str]) -> bool:
        return not any(hidden.get(cell) == WITHHELD for cell in group) and any(
            hidden.get(cell) != SECONDARY and not self.certain(cell, hidden) for cell in group
        )

    def certain(self, cell: tuple[int, int], hidden: dict[tuple[int, int], str]) -> bool:
        """Whether ``cell`` is a 0 that an earlier stage shown as 0 in its row pins."""
        return self.counts[cell] == 0 and any(
            later == cell and earlier not in hidden and self.counts[earlier] == 0
            for earlier, later in self.pairs
        )

    def doubtful(self, cell: tuple[int, int], hidden: dict[tuple[int, int], str]) -> bool:
        """Whether hiding ``cell`` leaves a reader in doubt of it: not a 0 whose row's
        "Referred" of 0 pins it, nor a 5 that a "<5" beside it and their total pin."""
        domain = self.domains({**hidden, cell: SECONDARY})
        return domain is not None and _size(domain[cell]) > 1


def suppressed_cells(
    counts: list[list[int]],
    groups: Sequence[Group],
    ordered_rows: bool = False,
    also: Iterable[tuple[int, int]] = (),
) -> dict[tuple[int, int], str]:
    """Which cells to hide, and with which marker: the primary cells, then the secondary ones
    the groups need (see the module's docstring). ``ordered_rows``: each row's cells are
    funnel stages in order, so a reader knows a cell is at most the one before it in its row
    (its "Referred" first of all) and at least the ones after it. ``also``: cells to hide
    ("[c]") from the start, for a reason outside this table."""
    grid = _Grid(counts, groups, ordered_rows)
    hidden = {cell: PRIMARY for cell, count in grid.counts.items() if _primary(count)}
    hidden.update({cell: SECONDARY for cell in also if cell not in hidden})
    while (group := grid.exposed_group(hidden)) is not None:
        shown = [cell for cell in group if cell not in hidden]
        cell = _secondary(grid, hidden, shown)
        if cell is not None:
            hidden[cell] = SECONDARY
            continue
        # No cell left to hide adds doubt: the group's only non-zero count is small, and a
        # "<5" would still say where the people are. All "[c]" (the total says nothing more)
        # if two or more of its cells could hold them; if only one could (every other row's
        # "Referred" is 0), or that was done and a small count is still pinned, a "[c]"
        # would pretend: the group is withheld.
        whole = grid.domains({**hidden, **{cell: WITHHELD for cell in group}})
        doubtful = [cell for cell in group if whole is None or _size(whole[cell]) > 1]
        if len(doubtful) < 2 or all(hidden.get(cell) == SECONDARY for cell in doubtful):
            hidden.update({cell: WITHHELD for cell in group if not grid.certain(cell, hidden)})
        else:
            hidden.update({cell: SECONDARY for cell in doubtful})
    return hidden


def _secondary(
    grid: _Grid, hidden: dict[tuple[int, int], str], shown: list[tuple[int, int]]
) -> tuple[int, int] | None:
    """The next cell to hide: the smallest non-zero count first (a hidden 0 adds little
    doubt), then by position; but one whose own bounds would leave a reader in doubt (its
    row's "Referred" of 5 makes a "[c]" 0 or 5, and the total then says which) before one
    that would not. Never a 0 its row pins (an earlier stage in its row shown as 0: nobody
    can be there), which would protect nothing; ``None`` when no other cell is left."""
    order = sorted(
        (cell for cell in shown if not grid.certain(cell, hidden)),
        key=lambda cell: (grid.counts[cell] == 0, grid.counts[cell], cell),
    )
    return next((cell for cell in order if grid.doubtful(cell, hidden)), next(iter(order), None))


def column_groups(counts: list[list[int]]) -> list[list[tuple[int, int]]]:
    """Each column as a group: the breakdown's rows add up to a total shown elsewhere."""
    width = len(counts[0]) if counts else 0
    return [[(r, c) for r in range(len(counts))] for c in range(width)]


def suppress_breakdown(
    counts: list[list[int]], groups: Sequence[Group] | None = None, ordered_rows: bool = False
) -> list[list[Cell]]:
    """The counts of a breakdown (a row per group of people, a column per count) as they may
    be shown: primary and secondary suppression, with every column a group whose total is
    published unless ``groups`` says otherwise."""
    hidden = suppressed_cells(
        counts, column_groups(counts) if groups is None else groups, ordered_rows
    )
    return [
        [hidden.get((r, c), count) for c, count in enumerate(row)] for r, row in enumerate(counts)
    ]


def suppress_breakdowns(
    tables: Sequence[list[list[int]]], linked: Sequence[int] = ()
) -> list[list[list[Cell]]]:
    """Several breakdowns of one cohort by funnel stage, suppressed together: each table's
    columns add up to a published total and its rows are stages in order. The last rows of
    the tables in ``linked`` are the same people in each (those never asked: the form saves
    every question at once), so a reader could read a cell hidden in one table from another.
    Where those rows hold the same counts they are one row here, in each of those tables'
    column groups, so a cell is hidden in all of them or none and every table's total counts
    towards what a reader can work out of it. Where they differ (someone answered one
    question only), a cell hidden in one is hidden in the others as well."""
    rows: list[list[int]] = []
    places: list[list[int]] = []  # each table's rows, as indices into ``rows``
    shared: dict[tuple[int, ...], int] = {}
    for t, counts in enumerate(tables):
        indices = []
        for i, row in enumerate(counts):
            key = tuple(row)
            if t in linked and i == len(counts) - 1 and key in shared:
                indices.append(shared[key])
                continue
            indices.append(len(rows))
            rows.append(list(row))
            if t in linked and i == len(counts) - 1:
                shared[key] = indices[-1]
        places.append(indices)
    width = max((len(row) for row in rows), default=0)
    groups = [[(r, c) for r in indices] for indices in places for c in range(width)]
    last = [places[t][-1] for t in linked if places[t]]
    forced: set[tuple[int, int]] = set()
    while True:
        hidden = suppressed_cells(rows, groups, ordered_rows=True, also=forced)
        stages = {c for r in last for c in range(width) if (r, c) in hidden}
        # A row nobody is in (its "Referred" shown as 0) is 0 throughout: nothing to hide.
        more = {(r, c) for r in last for c in stages if rows[r][0] or (r, 0) in hidden} - (
            forced | hidden.keys()
        )
        if not more:
            break
        forced |= more
    return [
        [[hidden.get((r, c), count) for c, count in enumerate(rows[r])] for r in indices]
        for indices in places
    ]


def hidden_rate(numerator: Cell, denominator: Cell) -> float | str | None:
    """A share from 0 to 1, hidden ("[c]") when either count is hidden, ``None`` when there is
    nothing to divide by."""
    if is_hidden(numerator) or is_hidden(denominator):
        return SECONDARY
    if not denominator:
        return None
    return int(numerator) / int(denominator)
