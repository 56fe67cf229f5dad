"""`GET /metrics`: Prometheus' text format, for a token or an internal address only.

Two kinds of figures (README, Metrics):
- counted by each web process (readerfund/lib/metrics.py: requests, latency, page cache,
  renders), added up over the machine's processes by prometheus-client's multiprocess mode
  when `readerfund serve` set PROMETHEUS_MULTIPROC_DIR; so each machine is scraped on its own;
- read from the database and the task queue at scrape time (queue depth and oldest age,
  webhook lag, renewals due, charged and failed, emails waiting, the decline breaker): the
  same on every machine, whichever one is asked.
Only counts and ages, never a label that names a donor, an address or a path.
"""

import hmac
import ipaddress
import os
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Min, Q
from django.http import Http404, HttpResponse
from django.utils import timezone
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4

from readerfund.lib.clientip import trusted_networks
from readerfund.lib.http import private


def metrics(request):
    if not allowed(request):
        raise Http404
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        counted = CollectorRegistry()
        multiprocess.MultiProcessCollector(counted)
    else:
        counted = REGISTRY  # this process only (a test, or a server of one process)
    figures = CollectorRegistry()
    figures.register(Figures())
    # The classic text format (0.0.4), which every Prometheus reads.
    body = generate_latest(counted) + generate_latest(figures)
    return private(HttpResponse(body, content_type=CONTENT_TYPE_PLAIN_0_0_4))


def allowed(request) -> bool:
    """The token, or a peer address in READERFUND_METRICS_ALLOW (never a forwarded one)."""
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    try:
        peer = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(peer in network for network in trusted_networks(tuple(settings.METRICS_ALLOW)))


class Figures:
    """What the database and the queue say now."""

    def collect(self):
        yield from _queue()
        yield from _webhooks()
        yield from _renewals()
        yield from _emails()
        yield from _breaker()


def _gauge(name: str, text: str, value: float, labels: dict | None = None):
    family = GaugeMetricFamily(name, text, labels=list(labels or {}))
    family.add_metric(list((labels or {}).values()), value)
    return family


def _age(oldest) -> float:
    return max(0.0, (timezone.now() - oldest).total_seconds()) if oldest else 0.0


def _queue():
    from readerfund.taskqueue import waiting

    try:
        depth, oldest = waiting()
    except Exception:  # noqa: BLE001 — Redis (the rq queue) is away: say so, keep the scrape
        depth, oldest = float("nan"), None
    yield _gauge("readerfund_task_queue_depth", "Tasks waiting for a worker.", depth)
    yield _gauge(
        "readerfund_task_queue_oldest_seconds", "Age of the oldest task waiting.", _age(oldest)
    )


def _webhooks():
    from contributions.models import ProviderEvent

    waiting = ProviderEvent.objects.filter(applied_at__isnull=True).aggregate(
        count=Count("pk"), oldest=Min("received_at")
    )
    yield _gauge(
        "readerfund_webhook_events_waiting", "Stored webhook events not applied yet.",
        waiting["count"],
    )  # fmt: skip
    yield _gauge(
        "readerfund_webhook_lag_seconds",
        "Age of the oldest stored webhook event not applied yet.",
        _age(waiting["oldest"]),
    )


def _renewals():
    from contributions.models import Contribution, Payment

    due = Contribution.objects.due(timezone.localdate()).count()
    yield _gauge("readerfund_renewals_due", "Recurring contributions due to be charged.", due)
    since = timezone.now() - timedelta(hours=24)
    outcomes = Payment.objects.filter(period__gt=0, claimed_at__gte=since).aggregate(
        charged=Count("pk", filter=Q(status=Payment.Status.SUCCEEDED)),
        failed=Count("pk", filter=Q(status=Payment.Status.FAILED)),
        unknown=Count("pk", filter=Q(status=Payment.Status.UNKNOWN)),
    )
    family = GaugeMetricFamily(
        "readerfund_renewals_last_day",
        "Renewal payments claimed in the last 24 hours, by outcome.",
        labels=["outcome"],
    )
    for outcome, count in outcomes.items():
        family.add_metric([outcome], count)
    yield family


def _emails():
    from contributions.models import Delivery

    waiting = Delivery.objects.filter(status=Delivery.Status.PENDING).count()
    yield _gauge("readerfund_emails_waiting", "Emails that matter, not sent yet.", waiting)


def _breaker():
    from contributions import breaker

    try:
        tripped = 1.0 if breaker.state()["tripped"] else 0.0
    except Exception:  # noqa: BLE001 — the cache is down: say so rather than fail the scrape
        tripped = float("nan")
    yield _gauge(
        "readerfund_breaker_tripped", "1 while the decline-rate breaker slows checkout.", tripped
    )
