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

from kombu import Connection, Exchange, Producer, Queue

TRANSPORT = "core.broker:Transport"
WRITERS = 4
MESSAGES_EACH = 60
# Large enough that serialising one takes a while, which is when kombu's own transport has
# already created the file under its final name.
BODY_CHARACTERS = 400_000
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


if __name__ == "__main__":  # the same hammer on another transport, to compare
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        got, bad = hammer(sys.argv[1] if len(sys.argv) > 1 else TRANSPORT, Path(folder))
        print(f"{len(got)} of {WRITERS * MESSAGES_EACH} messages read, {len(bad)} damaged")
