"""``audit_verify``: walk the audit trail's hash chain and report the first broken link.

Exit status 0 when every event links to the one before; 1 at the first break (its id, time
and what is wrong), so a scheduled run or monitoring can alarm on it. Prints the last
event's place and hash: kept somewhere outside the database and given back with
``--anchor SEQ:HASH``, they also show that no event up to there was removed from the end.
"""

from typing import cast

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.verify import audit_chain_walk


def _anchor(value: str) -> tuple[int, str]:
    seq, _, digest = value.partition(":")
    if not seq.isdecimal() or len(digest) != 64:
        raise CommandError(f"“{value}” is not an anchor: give it as SEQ:HASH (64 hex digits).")
    return int(seq), digest.lower()


class Command(BaseCommand):
    help = "Check the audit trail's hash chain; exit 1 at the first broken link."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="SEQ:HASH",
            help="An event's place and hash noted earlier (from a previous run's output): "
            "it must still be there with that hash. May be given more than once.",
        )

    def handle(self, *args: object, **options: object) -> None:
        anchors = dict(_anchor(a) for a in cast(list[str], options["anchor"]))
        result = audit_chain_walk(anchors=anchors)
        failures = []
        if result.first is not None:
            first = result.first
            failures.append(
                f"Broken link at event id {first.id} (seq {first.seq}, "
                f"{first.created_at.isoformat()}): {first.problem}. "
                f"{result.breaks} broken link(s) in all."
            )
        for seq, digest in anchors.items():
            found = result.hashes.get(seq)
            if found != digest:
                failures.append(
                    f"Anchor seq {seq}: "
                    + (
                        "no such event (removed from the end?)"
                        if found is None
                        else f"hash is now {found}, not {digest}"
                    )
                )
        summary = (
            f"Checked {result.checked} audit events. "
            f"Last: seq {result.last_seq} hash {result.last_hash}"
        )
        if failures:
            self.stderr.write("\n".join(failures))
            self.stderr.write(summary)
            raise SystemExit(1)
        self.stdout.write(f"{summary}. The chain is unbroken.")
