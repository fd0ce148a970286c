"""The embedded message broker for `make run`: kombu's filesystem transport, with each message
written whole before a reader can see it.

kombu's own ``filesystem`` transport (5.x) creates a message's file under its final name and
only then serialises and writes the message into it. The worker lists the folder, takes any
file named like a message and reads it at once, so it can read a file the scheduler is still
writing: an empty or half-written message, ``JSONDecodeError`` in the worker's consumer, and
the worker stops ("Unrecoverable error"). The reader takes no lock, so kombu's lock on the
file does not help. kombu has no option for this (celery/kombu#1551 is the same symptom).

Here a message is written to a hidden temporary file in the same folder (a name the reader
never takes: it takes only ``<time>_<id>.<queue>.msg``) and renamed into place when complete.
A rename within one folder is atomic on POSIX file systems, so a reader sees either no file
or the whole message.

The table of which queues an exchange feeds (under ``control_folder``) had the same fault
when first made: kombu creates it empty, then locks and writes it, so the scheduler sending
a task as the worker starts could read it empty, and two processes binding at once could
each truncate the other's. Here it is written whole to a temporary file and linked to its
name, which fails if another process made it first (then kombu adds to it under its lock,
as it always has). Everything else is kombu's.

Settings select it with ``CELERY_BROKER_TRANSPORT = "core.broker:Transport"`` beside the URL
``filesystem://``; Celery hands that to kombu, which then uses this class for the scheme.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
import uuid
from pathlib import Path
from time import monotonic
from typing import Any

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

#: What a message file being written is called until it is complete: never ``*.<queue>.msg``.
PARTIAL_PREFIX = ".partial-"
PARTIAL_SUFFIX = ".tmp"


#: What ``os.link`` says on a file system that has no hard links.
NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP}


class Channel(filesystem.Channel):
    """kombu's filesystem channel, writing each message atomically (temporary file + rename)."""

    # kombu's filesystem channel names its argument differently from the base channel's; its
    # own stubs ignore the same override.
    def _put(self, queue: str, payload: dict[str, Any], **kwargs: Any) -> None:  # type: ignore[override]
        """Put the message on the queue as one complete file, or not at all."""
        body = str_to_bytes(dumps(payload))
        folder = self.data_folder_out
        # The same name kombu gives a message, so readers keep their first-in-first-out order.
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        fd, partial = tempfile.mkstemp(dir=folder, prefix=PARTIAL_PREFIX, suffix=PARTIAL_SUFFIX)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(body)
            os.rename(partial, os.path.join(folder, name))
        except OSError as exc:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(partial)
            raise ChannelError(f"Cannot add file {name!r} to directory") from exc

    def _queue_bind(self, exchange: str, routing_key: str, pattern: str | None, queue: str) -> None:
        """Bind ``queue`` to ``exchange``. The exchange's table is created whole, by one
        process only; once it exists kombu adds each binding under its lock."""
        # kombu 5.7's checked path to the table (it refuses names that could leave the
        # control folder); the stubs predate it.
        table: Path = self._exchange_file(exchange)  # type: ignore[attr-defined]
        if not table.exists():
            self.control_folder.mkdir(exist_ok=True)
            row = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")
            if self._create(table, str_to_bytes(dumps([row]))):
                return
        super()._queue_bind(exchange, routing_key, pattern, queue)

    @staticmethod
    def _create(path: Path, body: bytes) -> bool:
        """Write ``path`` whole if nobody has made it yet; False if somebody had. Linking
        the complete temporary file to its name fails, atomically, if the name exists."""
        fd, partial = tempfile.mkstemp(
            dir=path.parent, prefix=PARTIAL_PREFIX, suffix=PARTIAL_SUFFIX
        )
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(body)
            try:
                os.link(partial, path)
            except OSError as exc:
                if exc.errno not in NO_HARD_LINKS:
                    raise
                # A file system without hard links (some shared folders and bind mounts):
                # the name is still only ever seen whole, but two processes making it in
                # the same instant could each write it, as kombu's own code could.
                if path.exists():
                    return False
                os.replace(partial, path)
            return True
        except FileExistsError:
            return False
        except OSError as exc:
            raise ChannelError(f"Cannot open {path}") from exc
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(partial)


class Transport(filesystem.Transport):
    """kombu's filesystem transport with :class:`Channel`; reports itself as ``filesystem``."""

    Channel = Channel
