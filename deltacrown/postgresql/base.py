"""PostgreSQL as django-prometheus counts it, with a health check that costs no
query and a cursor for statements the server keeps prepared.

With ``CONN_HEALTH_CHECKS`` on, Django asks a reused connection ``SELECT 1``
before the first query of every request: one more round trip to the server
on every page. An idle connection has nothing to say, so here its socket is
asked instead: if the server has written to it (the notice it sends before it
closes a connection on a restart or an administrator's terminate) or closed
it, the connection is dropped and a new one opened before the request's
first query.

Planning a query costs the server several times what running one of the
pages' indexed lookups does. ``prepared_cursor()`` sends parameters apart
from the SQL (server-side binding), so a statement run again with other values
is the same statement, and psycopg has the server prepare it once the
connection has sent it a few times (PREPARE_THRESHOLD); from then on it is
only run. A connection pooler between the app and the server must keep
prepared statements per client (PgBouncer 1.21 and later, with
max_prepared_statements set). Only queries known to bind correctly this way
use it (deltacrown.statements): the ORM does not promise that every query it
writes does (a value repeated in ORDER BY and the select list is sent twice,
and PostgreSQL then refuses a DISTINCT), so every other query keeps Django's
client-side binding.
"""

import select

from django.db.backends.postgresql import base as django_base
from django.db.backends.postgresql.operations import DatabaseOperations
from django.utils.functional import cached_property

import psycopg
from django_prometheus.db.backends.postgresql import base
from django_prometheus.db.common import ExportingCursorWrapper
from psycopg import pq

# How many times a connection sends a statement through prepared_cursor()
# before the server prepares it (psycopg's own default). Django turns
# preparing off unless the database's OPTIONS name a threshold; only
# prepared_cursor()'s statements are ever prepared, since psycopg never
# prepares those sent with client-side binding.
PREPARE_THRESHOLD = 5


class Operations(DatabaseOperations):
    def last_executed_query(self, cursor, sql, params):
        # A prepared cursor's query holds $1 where the values go; the query
        # logs and query captures show it with its values, as for any other.
        if not isinstance(cursor, psycopg.ClientCursor):
            try:
                return self.compose_sql(sql, params)
            except psycopg.DataError:
                return None
        return super().last_executed_query(cursor, sql, params)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = Operations

    def get_connection_params(self):
        params = super().get_connection_params()
        if params.get("prepare_threshold") is None:
            params["prepare_threshold"] = PREPARE_THRESHOLD
        return params

    @cached_property
    def _prepared_cursor_class(self):
        # Counted by django-prometheus like the connection's other cursors.
        return ExportingCursorWrapper(
            django_base.ServerBindingCursor, self.alias, self.vendor
        )

    def prepared_cursor(self):
        """A cursor like ``cursor()`` whose statements the server keeps prepared."""
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            cursor = self._prepared_cursor_class(self.connection)
            # As create_cursor() does for the connection's own cursors.
            loader = self.connection.adapters.get_loader(
                django_base.TIMESTAMPTZ_OID, pq.Format.TEXT
            )
            if self.timezone != loader.timezone:
                django_base.register_tzloader(self.timezone, cursor)
            return self._prepare_cursor(cursor)

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
