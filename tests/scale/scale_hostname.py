"""`[core] hostname_callable` for the scale test: each Celery worker reports its own name.

Both test workers run on one machine, so the default (the FQDN) would give every task instance
the same `hostname`; the docker-compose stack gets distinct names from its containers instead.
"""

from __future__ import annotations

import os
import socket


def hostname() -> str:
    return os.environ.get("NEWSDEDUP_TEST_WORKER_NAME") or socket.getfqdn()
