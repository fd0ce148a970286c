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
