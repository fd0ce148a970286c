"""One import or check into a scheme at a time: a PostgreSQL advisory lock on the scheme,
held for the import's transaction. The command waits for it (``wait_for_the_scheme``); the
worker only tries (``try_to_take_the_scheme``) and queues its job again if it is taken
(``home.import_jobs``)."""

from collections.abc import Callable

from django.db import connection

from schemes.models import Scheme

#: The first key of the advisory lock an import holds on its scheme (any constant other than
#: the jobs' own, ``home.import_jobs.LOCK_CLASS``).
SCHEME_LOCK_CLASS = 7_146_017

#: What a job's page and the command say while another import into the scheme runs.
SCHEME_BUSY = "Waiting for another import into this scheme to finish"


def _scheme_key(scheme: Scheme) -> list[int]:
    return [SCHEME_LOCK_CLASS, scheme.pk % 2**31]


def try_to_take_the_scheme(scheme: Scheme) -> bool:
    """Take ``scheme``'s import lock until this transaction ends, if no other import or check
    into it holds it; False (at once, without waiting) if one does. Nothing in the tables
    makes a record unique across imports (a meeting has no reference), so two imports of one
    file at once would each find the other's records missing and write them all; one after
    the other, the second finds the first's records and skips them. Taken again in the same
    transaction, it is simply held. SQLite (``make run``) has no advisory locks, but there
    every transaction takes the database's write lock as it begins (the settings' IMMEDIATE
    mode): a second import does not run beside the first, but its transaction waits for the
    database only as long as the settings' timeout, then fails with "database is locked"
    (the worker queues such a job again, ``home.import_jobs``)."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", _scheme_key(scheme))
        return bool(cursor.fetchone()[0])


def wait_for_the_scheme(scheme: Scheme, tell: Callable[[int, str], None]) -> None:
    """Take the scheme's lock (``try_to_take_the_scheme``), waiting for as long as another
    import holds it, and saying so first. For the command, which a person watches; the
    worker takes the lock before it calls this, and queues the job again if it is taken."""
    if try_to_take_the_scheme(scheme):
        return
    tell(0, SCHEME_BUSY)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", _scheme_key(scheme))
