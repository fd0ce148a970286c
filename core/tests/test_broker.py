"""The embedded broker `make run` uses (core/broker.py) under load: several processes publish
large messages while the worker's side reads them as fast as it can, on real files, as the
scheduler and worker do. Every message arrives once and whole; none is read half-written.

kombu's own filesystem transport fails this: run ``python -m core.tests.test_broker
kombu.transport.filesystem:Transport`` and the reader stops with ``JSONDecodeError`` within a
few messages, as the worker did in `make run` when it read the scheduler's heartbeat message
8 ms into its writing.
"""

import multiprocessing
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from kombu import Connection, Exchange, Producer, Queue

TRANSPORT = "core.broker:Transport"
WRITERS = 4
MESSAGES_EACH = 60
# Large enough that serialising one takes a while, which is when kombu's own transport has
# already created the file under its final name.
BODY_CHARACTERS = 400_000
BINDERS = 8
EXCHANGES = 30
# Only stops a broken transport from hanging the suite; the run takes seconds.
HANG_GUARD_SECONDS = 300


def exchange_and_queue(name: str) -> tuple[Exchange, Queue]:
    """A queue of its own for each run: kombu keeps the bindings it has made for the life of
    the process, across folders, so a name used twice would not be bound in a new folder."""
    exchange = Exchange(name, type="direct")
    return exchange, Queue(name, exchange, routing_key=name)


def connection(transport: str, folder: Path) -> Connection:
    return Connection(
        "filesystem://",
        transport=transport,
        transport_options={
            "data_folder_in": str(folder / "out"),
            "data_folder_out": str(folder / "out"),
            "processed_folder": str(folder / "processed"),
            "control_folder": str(folder / "control"),
        },
    )


def write(transport: str, folder: str, name: str, writer: int) -> None:
    """One publishing process: MESSAGES_EACH large messages, as fast as it can."""
    exchange, _ = exchange_and_queue(name)
    with connection(transport, Path(folder)) as conn:
        producer = Producer(conn.channel(), exchange=exchange, routing_key=name)
        for n in range(MESSAGES_EACH):
            key = f"{writer}-{n}"
            producer.publish({"key": key, "body": key[-1] * BODY_CHARACTERS}, serializer="json")


def hammer(transport: str, folder: Path) -> tuple[list[str], list[str]]:
    """Publish from WRITERS processes while this one reads; return the keys read and any
    message whose body came back different from what was sent."""
    for sub in ("out", "processed", "control"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    received: list[str] = []
    damaged: list[str] = []
    name = f"hammer-{uuid.uuid4().hex}"
    _, queue = exchange_and_queue(name)
    with connection(transport, folder) as conn:
        channel = conn.channel()
        queue(channel).declare()
        context = multiprocessing.get_context("spawn")
        writers = [
            context.Process(target=write, args=(transport, str(folder), name, w))
            for w in range(WRITERS)
        ]
        for process in writers:
            process.start()
        deadline = time.monotonic() + HANG_GUARD_SECONDS
        try:
            while len(received) < WRITERS * MESSAGES_EACH and time.monotonic() < deadline:
                message = queue(channel).get(no_ack=True)
                if message is None:
                    time.sleep(0.001)
                    continue
                payload = message.decode()
                received.append(payload["key"])
                if payload["body"] != payload["key"][-1] * BODY_CHARACTERS:
                    damaged.append(payload["key"])
        finally:
            for process in writers:
                process.join(timeout=HANG_GUARD_SECONDS)
                if process.is_alive():
                    process.kill()
    return received, damaged


def bind(transport: str, folder: str, name: str, queue_name: str, go: Any) -> None:
    """One starting process: when told to go, binds its own queue to each of EXCHANGES new
    exchanges in turn, as every other binder does at the same time."""
    with connection(transport, Path(folder)) as conn:
        channel = conn.channel()
        go.wait(HANG_GUARD_SECONDS)
        for n in range(EXCHANGES):
            Queue(queue_name, Exchange(f"{name}-{n}", type="fanout"))(channel).declare()


def hammer_bindings(transport: str, folder: Path) -> tuple[set[str], list[set[str]], int]:
    """BINDERS processes bind a queue each to the same new exchanges at the same moment
    while this one reads the exchanges' tables as fast as it can, as the scheduler does when
    it sends a task while the worker starts. Returns the queues bound, the queues in each
    exchange's table at the end, and how many reads found a table."""
    for sub in ("out", "processed", "control"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    name = f"fanout-{uuid.uuid4().hex}"
    queues = {f"{name}-q{n}" for n in range(BINDERS)}
    context = multiprocessing.get_context("spawn")
    go = context.Event()
    binders = [
        context.Process(target=bind, args=(transport, str(folder), name, queue_name, go))
        for queue_name in sorted(queues)
    ]
    for process in binders:
        process.start()
    reads = 0
    with connection(transport, folder) as conn:
        channel = conn.channel()
        go.set()
        try:
            while any(process.is_alive() for process in binders):
                for n in range(EXCHANGES):
                    reads += bool(channel.get_table(f"{name}-{n}"))
        finally:
            for process in binders:
                process.join(timeout=HANG_GUARD_SECONDS)
                if process.is_alive():
                    process.kill()
        bound = [{row.queue for row in channel.get_table(f"{name}-{n}")} for n in range(EXCHANGES)]
    return queues, bound, reads


def test_every_message_arrives_once_and_whole_while_others_write(tmp_path):
    """Four processes publish 240 large messages into the broker folder while the reader
    takes them as they appear: the reader never meets a half-written message, and every
    message arrives exactly once with its body intact."""
    received, damaged = hammer(TRANSPORT, tmp_path)

    expected = {f"{w}-{n}" for w in range(WRITERS) for n in range(MESSAGES_EACH)}
    assert sorted(received) == sorted(expected)
    assert damaged == []


def test_half_written_messages_are_never_offered(tmp_path):
    """A message still being written sits under a name the reader does not take, so the
    queue counts and offers only complete messages."""
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / ".partial-abc.tmp").write_bytes(b'{"body": "half')
    for sub in ("processed", "control"):
        (tmp_path / sub).mkdir()
    name = f"partial-{uuid.uuid4().hex}"
    exchange, queue = exchange_and_queue(name)
    with connection(TRANSPORT, tmp_path) as conn:
        channel = conn.channel()
        queue(channel).declare()
        assert channel._size(name) == 0
        assert queue(channel).get(no_ack=True) is None
        Producer(channel, exchange=exchange, routing_key=name).publish({"body": "whole"})
        assert channel._size(name) == 1
        assert queue(channel).get(no_ack=True).decode() == {"body": "whole"}


def test_processes_starting_together_all_get_their_binding(tmp_path):
    """Eight processes bind their queues to the same new exchanges at the same moment while
    another reads their tables: the reader always finds a table it can read (never a
    half-made one), and in the end every queue is bound to every exchange; none was lost to
    another's write."""
    queues, bound, reads = hammer_bindings(TRANSPORT, tmp_path)

    assert bound == [queues] * EXCHANGES
    assert reads > 0


if __name__ == "__main__":  # the same hammer on another transport, to compare
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        transport = sys.argv[1] if len(sys.argv) > 1 else TRANSPORT
        if sys.argv[2:] == ["bindings"]:
            queues, bound, _ = hammer_bindings(transport, Path(folder))
            lost = sum(len(queues - b) for b in bound)
            print(f"{lost} of {len(queues) * EXCHANGES} bindings lost")
        else:
            got, bad = hammer(transport, Path(folder))
            print(f"{len(got)} of {WRITERS * MESSAGES_EACH} messages read, {len(bad)} damaged")


def test_without_hard_links_a_table_is_still_written_whole_and_once(tmp_path, monkeypatch):
    """On a file system with no hard links (some shared folders and bind mounts) the first
    binding still writes its table whole instead of failing `make run`, and a second finds
    it made."""
    import errno
    import os

    from core import broker

    def no_links(src: Any, dst: Any) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(broker.os, "link", no_links)
    table = tmp_path / "exchange.exchange"
    assert broker.Channel._create(table, b'[["queue"]]') is True
    assert broker.Channel._create(table, b'[["other"]]') is False
    assert table.read_bytes() == b'[["queue"]]'
    assert [p.name for p in tmp_path.iterdir()] == ["exchange.exchange"]  # no leftovers
    assert os.path.exists(table)
