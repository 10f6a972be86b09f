"""gunicorn settings for DeltaCrown; each can be overridden from the environment.

`make serve` runs gunicorn with this file from the repository root.
"""

import os

from gunicorn.glogging import Logger

from deltacrown import metrics
from deltacrown.logsafe import RedactAccountKeys

wsgi_app = "deltacrown.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Two workers per core the process may use (a container's CPU set, not the
# host's count), plus one; WEB_CONCURRENCY overrides it.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * len(os.sched_getaffinity(0)) + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
max_requests = 2000
max_requests_jitter = 200
# Each worker imports the app itself rather than inheriting it from the master:
# nothing opened at import time (database, cache or Sentry connections) is then
# shared across a fork, and a HUP reloads the code.
preload_app = False

# The proxy in front sets X-Forwarded-Proto; trust it only from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# gunicorn's control socket sits at one path per user by default, which two
# sites on one machine would fight over; GUNICORN_CONTROL_SOCKET turns it on.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket


class RedactingLogger(Logger):
    """gunicorn's logger, masking account keys in request paths as Django's does."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            log.addFilter(REDACT_ACCOUNT_KEYS)


REDACT_ACCOUNT_KEYS = RedactAccountKeys()
logger_class = RedactingLogger
accesslog = "-"
errorlog = "-"
# Path without the query string (which can carry tokens) and no referrer (which
# can carry another page's): address, time, request, status, bytes, duration.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'

# Several workers' Prometheus counts meet in PROMETHEUS_MULTIPROC_DIR; these keep
# that directory in order (deltacrown/metrics.py).
on_starting = metrics.gunicorn_on_starting
when_ready = metrics.gunicorn_when_ready
child_exit = metrics.gunicorn_child_exit
