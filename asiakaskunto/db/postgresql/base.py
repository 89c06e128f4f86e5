"""Django's PostgreSQL backend, with a cheaper check of a kept connection.

With ``CONN_HEALTH_CHECKS`` Django asks the server ``SELECT 1`` before the first query of every
request that reuses a connection, so that a connection the server has dropped (a restart, an
administrator, a crash) is replaced instead of failing the request. Under load that extra round
trip cost the survey answer more waiting than its own INSERT. An idle connection has nothing to
read; one that the server has closed or is closing has (its goodbye message, or the end of the
stream). So: nothing to read means usable, without asking; anything to read means we ask the
server as Django does.

Not seen this way: a connection that the network drops silently (no goodbye, no reset yet).
Kept connections live at most ``CONN_MAX_AGE`` (60 s), well under the idle timeouts of NATs and
firewalls; a failover that moves the server's address would fail one request per app process.
"""

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        if self.connection is None or self.connection.closed:
            return False
        try:
            waiting = select.poll()
            waiting.register(self.connection.fileno(), select.POLLIN | select.POLLPRI)
            readable = bool(waiting.poll(0))
        except (AttributeError, OSError, ValueError):  # no poll() here, or a closed socket
            readable = True  # cannot tell without asking
        return not readable or super().is_usable()
