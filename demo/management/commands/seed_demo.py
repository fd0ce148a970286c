"""Build realistic synthetic data for demos, screenshots and load checks.

Deterministic by ``--seed``: the same seed gives the same people and cases. The data is
built by demo/seeder.py; every status in it is set by the app's own transition functions,
so its change rows and audit events are the ones the app writes.
"""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings

from accounts.models import User
from demo.seeder import DEMO_LOGINS, DEMO_PASSWORD, SCALES, Seeder, demo_second_factor_key
from schemes.models import Scheme

__all__ = ["DEMO_LOGINS", "DEMO_PASSWORD", "Command"]

NO_EMAIL = "django.core.mail.backends.dummy.EmailBackend"


class Command(BaseCommand):
    help = "Load synthetic demo data (deterministic by --seed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the database already has schemes (used by make run).",
        )
        parser.add_argument(
            "--logins", action="store_true", help="Only print the demo logins, if loaded."
        )

    def handle(self, *args: object, **options: object) -> None:
        if options["logins"]:
            self._print_logins()
            return
        if options["if_empty"] and Scheme.objects.exists():
            self.stdout.write("Data already loaded; seed_demo left it as it is.")
            return
        if Scheme.objects.exists():
            raise CommandError(
                "The database already holds schemes; seed_demo only fills an empty one. "
                "Start from a fresh database (for the embedded default: make clean)."
            )
        scale = SCALES[str(options["scale"])]
        started = time.monotonic()
        seed = options["seed"]
        assert isinstance(seed, int)  # noqa: S101 (argparse gives an int)
        # The demo's notifications are in the app; their emails would only fill make run's
        # terminal (or reach a real mail server), so seeding sends none.
        with override_settings(EMAIL_BACKEND=NO_EMAIL):
            counts = Seeder(seed=seed, scale=scale, out=self.stdout).run()
        elapsed = time.monotonic() - started
        summary = ", ".join(f"{n:,} {name}" for name, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Seeded {summary} in {elapsed:.1f}s."))

    def _print_logins(self) -> None:
        if not User.objects.filter(email=DEMO_LOGINS["manager"]).exists():
            self.stdout.write("No demo data is loaded, so there are no demo logins.")
            return
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for role, email in DEMO_LOGINS.items():
            key = demo_second_factor_key(email)
            code = f"   app key: {key}" if key else ""
            self.stdout.write(f"  {role:<12} {email:<34}{code}")
        self.stdout.write(
            "Staff give a code after the password: add the app key to any authenticator app "
            '("enter a setup key", time-based).'
        )
