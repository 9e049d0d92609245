"""The service's Prometheus metrics, in a registry of their own (one per app, so tests never clash)."""

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
WAIT_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0)


class ServiceMetrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = r = registry or CollectorRegistry(auto_describe=True)
        self.requests = Counter("storycanvas_http_requests", "HTTP requests answered",
                                ("method", "route", "status"), registry=r)
        self.request_seconds = Histogram("storycanvas_http_request_duration_seconds", "Time to answer",
                                         ("method", "route", "status"), buckets=LATENCY_BUCKETS, registry=r)
        self.upload_seconds = Histogram("storycanvas_upload_duration_seconds", "Time to take an upload",
                                        ("route",), buckets=LATENCY_BUCKETS, registry=r)
        self.export_seconds = Histogram("storycanvas_export_duration_seconds", "Time to export a timeline",
                                        ("route",), buckets=LATENCY_BUCKETS, registry=r)
        self.queue_jobs = Gauge("storycanvas_queue_jobs", "Queue jobs by status", ("status",), registry=r)
        self.server_running = Gauge("storycanvas_server_running_jobs", "Jobs running per ComfyUI server",
                                    ("server",), registry=r)
        self.server_capacity = Gauge("storycanvas_server_capacity", "Jobs a ComfyUI server takes at once",
                                     ("server",), registry=r)
        self.retries = Counter("storycanvas_job_retries", "Job attempts that failed and were queued again",
                               registry=r)
        self.failures = Counter("storycanvas_job_failures", "Jobs failed for good", registry=r)
        self.dispatch_seconds = Histogram("storycanvas_job_dispatch_latency_seconds",
                                          "From a job being due to a server taking it", buckets=WAIT_BUCKETS,
                                          registry=r)
        self.websocket_subscribers = Gauge("storycanvas_websocket_subscribers", "Open queue WebSockets",
                                           registry=r)
