import os
import resource
import time

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from flags.models import Flag
from flags.sweep import sweep
from mentees.models import Mentee
from relationships.models import Meeting, Relationship

#: The watcher sweeps every 15 minutes; a full sweep at national scale should take at most this.
TARGET_SECONDS = 30
#: With the broker down, a write asks for its sweep and gives up at once; Celery's own
#: reconnect loop would hold the person's page for 12.5 s. /healthz must answer as quickly.
BROKER_DOWN_TARGET_SECONDS = 5
DEAD_BROKER = "redis://127.0.0.1:9/0"  # the discard port: nothing listens


class Command(BaseCommand):
    help = (
        "Benchmark the watcher: run the sweep over every scheme and print its time, query "
        "count and peak memory. Use on `seed_demo --scale national` data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--keep",
            action="store_true",
            help="Keep the flags raised (by default the run is rolled back).",
        )

    def handle(self, *args: object, **options: object) -> None:
        mentees, meetings = Mentee.objects.count(), Meeting.objects.count()
        open_ = Relationship.objects.exclude(status=Relationship.Status.CLOSED).count()
        self.stdout.write(
            f"Data: {mentees:,} mentees, {open_:,} open relationships, {meetings:,} meetings, "
            f"{Flag.objects.count():,} flags before."
        )
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            cold = sweep()
            cold_seconds = time.perf_counter() - start
            start = time.perf_counter()
            warm = sweep()
            warm_seconds = time.perf_counter() - start
            if not options["keep"]:
                transaction.set_rollback(True)
        rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        self.stdout.write(
            f"First sweep: {cold_seconds:.1f} s (target {TARGET_SECONDS} s), "
            f"raised {len(cold.raised):,}, "
            f"resolved {len(cold.resolved):,}."
        )
        self.stdout.write(
            f"Second sweep (nothing new): {warm_seconds:.1f} s (target {TARGET_SECONDS} s), "
            f"raised {len(warm.raised):,}, "
            f"updated {warm.updated:,}."
        )
        self.stdout.write(f"Queries for both sweeps: {len(queries.captured_queries)}.")
        self.stdout.write(
            f"Peak memory of the process: {rss_peak / 1024:.0f} MB "
            f"({rss_before / 1024:.0f} MB before the sweeps)."
        )
        if not options["keep"]:
            self.stdout.write("Rolled back: no flags kept (use --keep to keep them).")
        self._broker_down()

    def _broker_down(self) -> None:
        """How long a page waits for the broker when it is down: queueing a sweep after a
        write, and /healthz's broker check. The tests only guard these against hanging."""
        from unittest.mock import patch

        from django.test.utils import override_settings

        from core.queue import SWEEP_TASK, enqueue
        from core.selectors import check_broker

        # Celery reads the broker from this variable before its own settings.
        with patch.dict(os.environ, {"CELERY_BROKER_URL": DEAD_BROKER}):
            start = time.perf_counter()
            queued = enqueue(SWEEP_TASK, scheme_id=0)
            queue_seconds = time.perf_counter() - start
        with override_settings(CELERY_BROKER_URL=DEAD_BROKER):
            start = time.perf_counter()
            ok = check_broker().ok
            health_seconds = time.perf_counter() - start
        target = BROKER_DOWN_TARGET_SECONDS
        self.stdout.write(
            f"Broker down: queueing a sweep gave up in {queue_seconds:.1f} s (target {target} s, "
            f"queued: {queued}); /healthz's broker check answered in {health_seconds:.1f} s "
            f"(target {target} s, ok: {ok})."
        )
