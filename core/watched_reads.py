"""Small values read from Redis, kept in the process until Redis says they changed.

A page-cache hit reads the portal's and the network's generations, the generations of
the page's addresses and the entry's token (``core.page_cache``): with Redis, that one
``MGET`` was the largest part of a hit, a round trip and the server's work for each page
served (issue 25 §1). Redis's *client-side caching* (``CLIENT TRACKING``, Redis 6 and
later) lets a client keep what it read: the server remembers which keys a tracked
connection read and tells the client when one of them changes, expires, is evicted or
the database is flushed. redis-py offers it only over RESP3 and from Redis 7.4 (Debian 12
has 7.0), so this module uses the RESP2 form, which every Redis since 6 speaks:

- the *listener*, a connection subscribed to ``__redis__:invalidate``, where Redis
  publishes the names of the keys that changed (none at all for a flush);
- the *reader*, a connection tracked with ``REDIRECT`` to the listener: the keys it reads
  are those Redis watches for this process.

``read`` first takes the messages already waiting on the listener, without waiting for
any (a look at its socket, no round trip), forgets the keys they name, then answers from
memory when it holds every key asked, else reads them all in one ``MGET`` on the reader
and keeps the answers (an absent key too: Redis tells when it appears).

Why a kept value is never older than what a visitor could know of: Redis queues the
invalidation for the listener while it executes the write, and writes it out in the
same turn of its event loop as the writer's own answer. Whatever follows that write (the
animator's publication answered, their next page asked of another worker) reaches this
process after the message has reached its socket, and the next ``read`` takes it first.
This process's own writes are forgotten at once by the backend (``core.redis_cache``).

Any error on either connection (Redis restarted, the listener dropped by Redis for a full
output buffer, the malformed message Redis 7.0 sends a RESP2 listener for a flush) empties
the memory and drops both connections: that read goes to the store, the next connects
again (a server that cannot be reached is tried again ``RECONNECT_SECONDS`` later).
A Redis that refuses tracking (an older server, an account without the ``CLIENT``
command) leaves watching off in this process: every read goes to the store, as before.
"""

from __future__ import annotations

import logging
import os
import select
import threading
import time
from collections.abc import Sequence
from typing import Any

from redis.backoff import NoBackoff
from redis.connection import Connection
from redis.exceptions import ConnectionError, RedisError, ResponseError
from redis.maint_notifications import MaintNotificationsConfig
from redis.retry import Retry

logger = logging.getLogger(__name__)

CHANNEL = b"__redis__:invalidate"
# Values kept at most; past it, the memory starts again empty (Redis still watches the
# keys it held: their messages are then ignored).
MAX_KEYS = 20_000
# What redis-py's pool adds to its connections' arguments for its own bookkeeping.
POOL_ONLY_ARGUMENTS = ("maint_notifications", "himport_registry", "orig_")
# After a failed connection, how long reads go to the pool before trying again.
RECONNECT_SECONDS = 5.0
# Only small values are worth keeping: generations and tokens are a few bytes.
MAX_VALUE_BYTES = 1_024


class WatchedReads:
    """Values of one Redis server read by this process and kept until Redis says they
    changed (see the module). ``connection_kwargs`` are those of the cache's connection
    pool (host, port, database, credentials, connection class)."""

    def __init__(self, connection_kwargs: dict[str, Any]) -> None:
        self._kwargs = connection_kwargs
        self._lock = threading.Lock()
        self._values: dict[str, bytes | None] = {}
        self._listener: Connection | None = None
        self._reader: Connection | None = None
        self._sockets: select.poll | None = None
        self._pid = 0
        self._connect_after = 0.0
        self.refused = False

    def read(self, keys: Sequence[str]) -> list[bytes | None]:
        """The raw values at ``keys`` (None where absent), from memory when Redis has said
        nothing of any of them since they were read, else from one ``MGET``. Raises
        ``RedisError`` when they cannot be read so (the caller reads its pool instead)."""
        with self._lock:
            if not self._connected():
                raise RedisError("Lectures suivies par Redis indisponibles.")
            try:
                self._take_messages()
                values = self._values
                if all(key in values for key in keys):
                    return [values[key] for key in keys]
                found = self._mget(keys)
            except (RedisError, OSError) as error:
                # The next read connects again.
                self._drop_everything()
                logger.info("Lectures suivies par Redis interrompues : %r", error)
                raise
            if len(values) + len(keys) > MAX_KEYS:
                values.clear()
            for key, value in zip(keys, found, strict=True):
                if value is None or len(value) <= MAX_VALUE_BYTES:
                    values[key] = value
            return found

    def forget(self, keys: Sequence[str]) -> None:
        """Forget the values at ``keys``: this process is writing them."""
        with self._lock:
            for key in keys:
                self._values.pop(key, None)

    def forget_everything(self) -> None:
        """Forget every value kept and let go of both connections: this process is
        emptying the store (the next read connects again, after the flush)."""
        with self._lock:
            self._drop_everything()

    def _connected(self) -> bool:
        # A worker forked by gunicorn inherits its parent's objects: never its sockets.
        if self._pid != os.getpid():
            self._listener = self._reader = self._sockets = None
            self._values = {}
            self._pid = os.getpid()
        if self._reader is not None:
            return True
        if self.refused or time.monotonic() < self._connect_after:
            return False
        try:
            self._connect()
        except ResponseError as error:
            # The server answered, and said no: it will say no again.
            self.refused = True
            logger.warning("Lectures suivies par Redis impossibles : %s", error)
            return False
        except (RedisError, OSError) as error:
            # A server down is not asked twice more at each read for connections that
            # cannot be made: reads go to the pool for a while.
            self._connect_after = time.monotonic() + RECONNECT_SECONDS
            logger.info("Lectures suivies par Redis indisponibles : %r", error)
            return False
        return True

    def _connect(self) -> None:
        listener = self._new_connection()
        try:
            reader = self._new_connection()
        except (RedisError, OSError):
            listener.disconnect()
            raise
        try:
            listener.send_command("CLIENT", "ID")
            listener_id = listener.read_response()
            listener.send_command("SUBSCRIBE", CHANNEL)
            listener.read_response()
            reader.send_command("CLIENT", "TRACKING", "ON", "REDIRECT", listener_id)
            reader.read_response()
        except (RedisError, OSError):
            listener.disconnect()
            reader.disconnect()
            raise
        self._listener, self._reader = listener, reader
        self._sockets = select.poll()
        for connection in (listener, reader):
            # redis-py keeps a connection's socket there; it offers no public accessor.
            self._sockets.register(connection._sock, select.POLLIN | select.POLLHUP)
        self._values = {}

    def _new_connection(self) -> Connection:
        # RESP2: the invalidations come as messages of a channel on the listener. No retry:
        # a connection that reconnected by itself would no longer be tracked.
        kwargs = {
            name: value
            for name, value in self._kwargs.items()
            if not name.startswith(POOL_ONLY_ARGUMENTS)
        }
        kwargs |= {
            "protocol": 2,
            "retry": Retry(NoBackoff(), 0),
            # redis-py's notices of a managed server's maintenance need RESP3.
            "maint_notifications_config": MaintNotificationsConfig(enabled=False),
        }
        connection_class = kwargs.pop("connection_class", Connection)
        connection = connection_class(**kwargs)
        connection.connect()
        return connection

    def _take_messages(self) -> None:
        # One look at both sockets (a system call, no round trip): nearly every read
        # stops here. Each drain below empties the listener's parser buffer, so nothing
        # can be waiting there that the sockets do not show.
        if not self._sockets.poll(0):
            return
        # The reader speaks only when asked: anything waiting there is the server closing
        # it (an idle client's timeout, a restart), and a closed reader is no longer
        # tracked: no message would come for what it read.
        if self._reader.can_read(timeout=0):
            raise ConnectionError("Redis a fermé la connexion de lecture suivie.")
        listener = self._listener
        while listener.can_read(timeout=0):
            message = listener.read_response()
            if not isinstance(message, list) or len(message) != 3 or message[1] != CHANNEL:
                continue
            keys = message[2]
            if keys is None:  # the database was flushed
                self._values.clear()
                continue
            for key in keys:
                self._values.pop(key.decode() if isinstance(key, bytes) else key, None)

    def _mget(self, keys: Sequence[str]) -> list[bytes | None]:
        self._reader.send_command("MGET", *keys)
        return self._reader.read_response()

    def _drop_everything(self) -> None:
        self._values = {}
        for connection in (self._listener, self._reader):
            if connection is not None:
                connection.disconnect()
        self._listener = self._reader = self._sockets = None
