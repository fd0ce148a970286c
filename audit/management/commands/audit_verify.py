"""``audit_verify``: check every audit event's MAC and the chain's links; report the first
broken link and the first bad MAC.

Exit status 0 when every event's MAC is right and every chained event links to the one
before; 1 otherwise (the first broken link and the first bad MAC: id, time, what is wrong), so
a scheduled run or monitoring can alarm on it. Says how many events the chainer has not
placed yet; when the oldest is older than ``STALE`` the chainer is not running (the worker is
down, or someone holds its lock), so the trail is not being chained: that exits 2, for
monitoring that reads only the exit status to alarm on too.
Prints the last event's place and hash: kept somewhere outside the database and given back
with ``--anchor SEQ:HASH``, they also show that no event up to there was removed from the end.
"""

import datetime
from typing import cast

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.verify import Finding, audit_chain_walk

#: Older than this, an event not yet chained means the chainer (the worker) is not running.
STALE = datetime.timedelta(minutes=10)


def _where(finding: Finding) -> str:
    place = f"seq {finding.seq}" if finding.seq is not None else "not chained yet"
    return f"event id {finding.id} ({place}, {finding.created_at.isoformat()})"


def _anchor(value: str) -> tuple[int, str]:
    seq, _, digest = value.partition(":")
    if not seq.isdecimal() or len(digest) != 64:
        raise CommandError(f"“{value}” is not an anchor: give it as SEQ:HASH (64 hex digits).")
    return int(seq), digest.lower()


class Command(BaseCommand):
    help = "Check the audit events' MACs and hash chain; exit 1 at a broken link or bad MAC."

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
                f"Broken link at {_where(first)}: {first.problem}. "
                f"{result.breaks} broken link(s) in all."
            )
        if result.first_bad_mac is not None:
            bad = result.first_bad_mac
            failures.append(
                f"Bad MAC at {_where(bad)}: {bad.problem}. {result.bad_macs} bad MAC(s) in all."
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
            f"Checked {result.checked} chained audit events and "
            f"{result.unchained} not yet chained. "
            f"Last: seq {result.last_seq} hash {result.last_hash}"
        )
        age = result.oldest_unchained_age
        if age is not None:
            minutes = int(age.total_seconds() // 60)
            self.stdout.write(
                f"{result.unchained} event(s) not chained yet, the oldest {minutes} minute(s) old."
            )
            if age > STALE:
                self.stderr.write(
                    f"Warning: an event has waited over {STALE.seconds // 60} minutes to be "
                    "chained: is the worker running audit.tasks.chain_pending?"
                )
        if failures:
            self.stderr.write("\n".join(failures))
            self.stderr.write(summary)
            raise SystemExit(1)
        self.stdout.write(f"{summary}. Every MAC is right and the chain is unbroken.")
        if age is not None and age > STALE:
            raise SystemExit(2)
