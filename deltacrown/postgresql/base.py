"""PostgreSQL as django-prometheus counts it, with a health check that costs no query.

With ``CONN_HEALTH_CHECKS`` on, Django asks a reused connection ``SELECT 1``
before the first query of every request: one more round trip to the server
on every page. An idle connection has nothing to say, so here its socket is
asked instead: if the server has written to it (the notice it sends before it
closes a connection on a restart or an administrator's terminate) or closed
it, the connection is dropped and a new one opened before the request's
first query.
"""

import select

import psycopg
from django_prometheus.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        pgconn = connection.pgconn
        if pgconn.status != pq.ConnStatus.OK:
            return False
        if pgconn.transaction_status != pq.TransactionStatus.IDLE:
            # Only an idle connection is expected to be silent; let the
            # server answer for any other.
            return super().is_usable()
        try:
            readable, _, _ = select.select([pgconn.socket], [], [], 0)
        except (OSError, ValueError, psycopg.Error):
            return False
        return not readable
