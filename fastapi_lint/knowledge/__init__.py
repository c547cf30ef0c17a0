"""What fastapi-lint knows about the stdlib and third-party APIs, kept as data.

Names are fully qualified (``requests.get``); a method of a class is ``Class.method``
(``requests.Session.get``), and ``Class.*`` stands for every method of that class.
A sink mapped to ``None`` overrides a ``*`` entry of its class: that method is harmless.
"""

from dataclasses import dataclass

BLOCKING = "blocking"
SYNC_DB = "sync-db"


@dataclass(frozen=True, slots=True)
class Sink:
    """Why a call blocks the thread it runs in, and what to use instead."""

    kind: str
    reason: str
    instead: str
