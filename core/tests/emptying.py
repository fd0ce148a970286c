"""After a test that commits (``transactional_db``, the browser tests, the real workers), the
tables that hold rows are emptied, and only those.

Django's own clean-up (``TransactionTestCase._fixture_teardown``: ``manage.py flush``)
truncates every table, content types and permissions too, then runs the ``post_migrate``
handlers to create those two again: over a second a test on a busy machine, most of it the
handlers, for hundreds of tests a run. Here the content types and permissions the migrations
made are kept (checked unchanged first), and every other table that holds a row is
truncated. The database is then as Django's clean-up leaves it. Anything this does not
expect (another database engine, a test that changed the content types or permissions,
``available_apps``, serialized rollback, fixtures) gets Django's own clean-up instead.
Loaded by the root conftest.py.
"""

from collections.abc import Callable

import pytest
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import TransactionTestCase

#: Made by the migrations (``post_migrate``) and by no test: kept rather than made again.
KEPT = ("django_content_type", "auth_permission")
#: Each database's fingerprint of the kept tables as the migrations (or Django's clean-up)
#: left them.
_kept: dict[str, str] = {}
#: Django's own clean-up (private, so not in Django's type stubs).
_djangos_teardown: Callable[[TransactionTestCase], None] = TransactionTestCase._fixture_teardown  # type: ignore[attr-defined]


def _fingerprint(connection: BaseDatabaseWrapper) -> str:
    """A digest of every row of the kept tables, in one query."""
    quote = connection.ops.quote_name
    # The table names are the constants above, quoted; nothing here is user input.
    rows = " || ".join(
        f"(SELECT coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') "  # noqa: S608
        f"FROM {quote(table)} t)"
        for table in KEPT
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {rows}")
        return cursor.fetchone()[0]


def _tables_with_rows(connection: BaseDatabaseWrapper) -> list[str]:
    tables = sorted(
        set(connection.introspection.django_table_names(only_existing=True, include_views=False))
        - set(KEPT)
    )
    quote = connection.ops.quote_name
    # Table names come from Django's own introspection, quoted; nothing here is user input.
    sql = " UNION ALL ".join(
        f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(table)})"  # noqa: S608
        for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, tables)
        return [row[0] for row in cursor.fetchall()]


def _empty_tables_with_rows(test: TransactionTestCase) -> None:
    """``TransactionTestCase._fixture_teardown``, faster for the usual case (above)."""
    names = test._databases_names(include_mirrors=False)
    usual = (
        test.available_apps is None
        and not test.serialized_rollback
        and not getattr(test, "fixtures", None)
        and all(
            connections[name].vendor == "postgresql"
            and name in _kept
            and _fingerprint(connections[name]) == _kept[name]
            for name in names
        )
    )
    if not usual:
        _djangos_teardown(test)
        for name in names:  # the content types are new now, with new ids
            if connections[name].vendor == "postgresql":
                _kept[name] = _fingerprint(connections[name])
        return
    for name in names:
        connection = connections[name]
        tables = _tables_with_rows(connection)
        if tables:
            quote = connection.ops.quote_name
            # CASCADE: an empty table that refers to one emptied here is emptied with it.
            with transaction.atomic(using=name), connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {', '.join(quote(t) for t in tables)} CASCADE")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test databases, whose content types and permissions are then noted,
    and tests that commit cleaned up after by ``_empty_tables_with_rows``."""
    with django_db_blocker.unblock():
        for name in connections:
            if connections[name].vendor == "postgresql":
                _kept[name] = _fingerprint(connections[name])
    TransactionTestCase._fixture_teardown = _empty_tables_with_rows  # type: ignore[attr-defined]
    yield
    TransactionTestCase._fixture_teardown = _djangos_teardown  # type: ignore[attr-defined]
