"""The manager's overview page: every scheme's figures side by side (``home.overview``)."""

from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render

from accounts.http import AuthedRequest
from accounts.permissions import manager_required
from flags.selectors import Health
from home.overview import DEFAULT_SORT, SORTS, overview_for


@dataclass(frozen=True)
class Column:
    """A column of the table. Its heading shows ``short``; a screen reader hears ``name``,
    which starts with the short words (``rest`` is read, not shown)."""

    key: str
    short: str
    rest: str = ""
    group: str = ""  # the heading over several columns, if any
    choice: str = ""  # its name in the phone's "Sort by" list, where the full name is long

    @property
    def name(self) -> str:
        return self.short + self.rest


HEALTH_GROUP = "Open relationships by health"
CONCERNS_GROUP = "Concerns"
COLUMNS: list[Column] = [
    Column("scheme", "Scheme"),
    Column("open", "Open", " relationships"),
    *[Column(value, str(label), group=HEALTH_GROUP) for value, label in Health.choices],
    Column("concerns", "Open", " concerns", group=CONCERNS_GROUP),
    Column(
        "overdue_concerns",
        "Late",
        " concerns, not acknowledged in time",
        CONCERNS_GROUP,
        choice="Late concerns",
    ),
    Column("flags", "Live flags"),
    Column("waiting", "Waiting", " for a match"),
    Column("longest_wait", "Longest wait"),
    Column("targets", "Targets behind"),
]


#: How each order reads in the "Sort by" list: (first click, second click).
ORDER_WORDS = {"scheme": ("A to Z", "Z to A"), "longest_wait": ("longest first", "shortest first")}


def _choice(column: Column, *, first: bool) -> str:
    """A column's order in words, short enough for a phone's select: "Late concerns (most
    first)", "Longest wait (longest first)"."""
    words = ORDER_WORDS.get(column.key, ("most first", "fewest first"))[0 if first else 1]
    return f"{column.choice or column.name} ({words})"


def _link(key: str, sort: str) -> str:
    """Where a heading's link goes: the column in its first order (a scheme's name A to Z, a
    figure largest first, as a manager looks for the most concerns or the longest wait), or,
    if already sorted by it, the other way round."""
    first = key if key == "scheme" else f"-{key}"
    if sort == first:
        return key if first.startswith("-") else f"-{key}"
    return first


@manager_required
def overview(request: AuthedRequest) -> HttpResponse:
    """Each scheme's relationships by health, live flags, waiting and progress against its
    targets; sorted by any column (``?sort=``, ``-`` first for descending)."""
    sort = request.GET.get("sort", DEFAULT_SORT)
    if sort.removeprefix("-") not in SORTS:
        sort = DEFAULT_SORT
    rows = overview_for(request.user, sort=sort)
    columns = [
        {
            "key": column.key,
            "short": column.short,
            "rest": column.rest,
            "name": column.name,
            "group": column.group,
            "sorted": "descending"
            if sort == f"-{column.key}"
            else "ascending"
            if sort == column.key
            else "",
            "link": _link(column.key, sort),
        }
        for column in COLUMNS
    ]
    # The headings' top row: a column on its own spans both rows; a group spans its columns.
    top: list[dict[str, Any]] = []
    for column in columns:
        if not column["group"]:
            top.append({"column": column})
        elif top and top[-1].get("group") == column["group"]:
            top[-1]["span"] += 1
        else:
            top.append({"group": column["group"], "span": 1})
    # The phone's "Sort by" choices: each column in its first order (a heading's first
    # click), and the other way round for the column sorted that way now.
    sorts = [(_link(c.key, ""), _choice(c, first=True)) for c in COLUMNS]
    sorts += [
        (sort, _choice(c, first=False))
        for c in COLUMNS
        if sort.removeprefix("-") == c.key and sort != _link(c.key, "")
    ]
    return render(
        request,
        "home/overview.html",
        {
            "rows": rows,
            "columns": columns,
            "top": top,
            "grouped": [c for c in columns if c["group"]],
            "sort": sort,
            "sorts": sorts,
            "health_keys": Health.values,
        },
    )
