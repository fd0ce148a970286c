"""The manager's overview page: every scheme's figures side by side (``home.overview``)."""

from django.http import HttpResponse
from django.shortcuts import render

from accounts.http import AuthedRequest
from accounts.permissions import manager_required
from flags.selectors import Health
from home.overview import DEFAULT_SORT, SORTS, overview_for

#: The table's columns: sort key, heading, and whether it holds a number.
COLUMNS: list[tuple[str, str]] = [
    ("scheme", "Scheme"),
    ("open", "Open relationships"),
    *[(value, str(label)) for value, label in Health.choices],
    ("concerns", "Open concerns"),
    ("overdue_concerns", "Concerns not acknowledged in time"),
    ("flags", "Live flags"),
    ("waiting", "Waiting for a match"),
    ("longest_wait", "Longest wait"),
    ("targets", "Targets behind"),
]


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
            "key": key,
            "label": label,
            "sorted": "descending" if sort == f"-{key}" else "ascending" if sort == key else "",
            # A click sorts by the column, or turns an ascending sort round.
            "link": f"-{key}" if sort == key else key,
        }
        for key, label in COLUMNS
    ]
    return render(
        request,
        "home/overview.html",
        {"rows": rows, "columns": columns, "health_keys": Health.values},
    )
