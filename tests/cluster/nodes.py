"""A cluster on one machine: `readerfund serve --no-worker` nodes on loopback addresses
(127.0.0.2, 127.0.0.3, one port for all), `readerfund worker` processes and nginx in front,
each process logging into one folder. The drill (tests/cluster/test_cluster.py) and the bench
(bench/cluster.py) start theirs with it.

nginx listens on one front port per name given: the drill has one front balancing both nodes;
the bench has a second front with one node only behind the same nginx, to compare them."""

import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.nginx import NGINX, nginx_config
from tests.processes import STARTUP_TIMEOUT, free_port, stop_tree, with_static_files

ROOT = Path(__file__).resolve().parents[2]
NODES = ("127.0.0.2", "127.0.0.3")

FRONT = """
    upstream {name} {{
{servers}
{keepalive}
    }}
    server {{
        listen 127.0.0.1:{front};
        location / {{
            proxy_pass http://{name};
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_next_upstream error timeout;
            proxy_connect_timeout 1s;
{keepalive_headers}
        }}
    }}
"""


def get(url: str, body: bytes | None = None, headers: dict | None = None, timeout=10):
    """(status, body) of a GET (or a POST of `body`); status 0 when nothing answered."""
    request = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read()
    except OSError:
        return 0, b""


def wait_for(condition, seconds: float, what: str) -> float:
    """Poll `condition` until true; the seconds it took. AssertionError after `seconds`."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if condition():
            return time.monotonic() - started
        time.sleep(0.05)
    raise AssertionError(f"{what} did not happen within {seconds}s")


class Cluster:
    """The processes of one cluster. `env` is every process's environment (database, Redis,
    keys, providers); READERFUND_SITE_URL is set to the first front and READERFUND_DATA_DIR to
    a folder per process unless `shared_data_dir`. `fronts`: name → the nodes behind it."""

    def __init__(
        self,
        tmp: Path,
        env: dict,
        fronts: dict[str, tuple[str, ...]] | None = None,
        *,
        keepalive: bool = False,
        shared_data_dir: Path | None = None,
        nginx_workers: int = 1,
    ):
        self.tmp, self.port = tmp, free_port()
        self.fronts = {
            name: (free_port(), hosts) for name, hosts in (fronts or {"all": NODES}).items()
        }
        self.front = next(iter(self.fronts.values()))[0]
        self.keepalive, self.shared_data_dir = keepalive, shared_data_dir
        self.nginx_workers = nginx_workers
        self.env = {**env, "READERFUND_SITE_URL": self.url}
        self.nodes: dict[str, subprocess.Popen] = {}
        self.workers: list[subprocess.Popen] = []
        self.balancer = None

    def _spawn(self, name: str, command: list[str], **env) -> subprocess.Popen:
        data_dir = self.shared_data_dir or self.tmp / name
        with (self.tmp / f"{name}.log").open("ab") as log:
            return subprocess.Popen(
                [sys.executable, "-m", "readerfund.cli", *command],
                cwd=ROOT, env={**self.env, "READERFUND_DATA_DIR": str(data_dir), **env},
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True,
            )  # fmt: skip

    def start_node(self, host: str, *serve_args: str, **env: str) -> None:
        data_dir = self.shared_data_dir or self.tmp / f"node-{host}"
        if not (data_dir / "static.sources").exists():
            with_static_files(data_dir)
        self.nodes[host] = self._spawn(
            f"node-{host}",
            ["serve", "--host", host, "--port", str(self.port), "--workers", "1",
             "--no-worker", "--no-migrate", *serve_args],
            **env,
        )  # fmt: skip
        wait_for(lambda: get(f"http://{host}:{self.port}/healthz")[0] == 200, STARTUP_TIMEOUT, host)

    def start_worker(self, n: int, *worker_args: str) -> subprocess.Popen:
        worker = self._spawn(f"worker{n}", ["worker", "--schedule-interval", "1", *worker_args])
        self.workers.append(worker)
        return worker

    def start_balancer(self) -> None:
        run = self.tmp / "nginx"
        run.mkdir()
        servers = "".join(
            FRONT.format(
                name=name, front=front,
                servers="\n".join(f"        server {host}:{self.port} max_fails=1 "
                                  "fail_timeout=2s;" for host in hosts),
                keepalive="        keepalive 32;" if self.keepalive else "",
                keepalive_headers='            proxy_http_version 1.1;\n'
                '            proxy_set_header Connection "";' if self.keepalive else "",
            )
            for name, (front, hosts) in self.fronts.items()
        )  # fmt: skip
        (run / "nginx.conf").write_text(nginx_config(run, servers, self.nginx_workers))
        with (run / "stdout.log").open("wb") as log:
            self.balancer = subprocess.Popen(
                [NGINX, "-c", str(run / "nginx.conf"), "-p", str(run)],
                stdout=log, stderr=log, start_new_session=True,
            )  # fmt: skip
        for name in self.fronts:
            wait_for(lambda n=name: get(f"{self.front_url(n)}/healthz")[0] == 200, 20, "nginx")

    def front_url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.fronts[name][0]}"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.front}"

    def stop(self) -> None:
        for process in [*self.nodes.values(), *self.workers]:
            stop_tree(process, grace=10)
        if self.balancer is not None:
            stop_tree(self.balancer, grace=5)
