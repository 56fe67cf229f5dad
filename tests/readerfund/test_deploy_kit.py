"""The deploy kit in docs/deploy/ is checked by the tools that will read it: `nginx -t`,
`caddy validate`, `systemd-analyze verify`; the Dockerfile and the compose file are parsed
(no Docker daemon runs in CI) and held to what they promise."""

import datetime
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.nginx import NGINX, nginx_available, nginx_config

# Files of docs/deploy/ read, and checked by nginx, caddy and systemd-analyze: no database.
pytestmark = pytest.mark.database_independent

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "docs" / "deploy"
CADDY = shutil.which("caddy")
SYSTEMD_ANALYZE = shutil.which("systemd-analyze")


def self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "news.example.org")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    cert, private = directory / "fullchain.pem", directory / "privkey.pem"
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert, private


@pytest.mark.skipif(not nginx_available(), reason="nginx is not installed (make servers)")
def test_the_nginx_config_passes_nginx_t(tmp_path):
    cert, key = self_signed(tmp_path)
    site = (DEPLOY / "nginx.conf").read_text()
    site = site.replace("/etc/letsencrypt/live/news.example.org/fullchain.pem", str(cert))
    site = site.replace("/etc/letsencrypt/live/news.example.org/privkey.pem", str(key))
    site = site.replace("/var/cache/nginx/readerfund", str(tmp_path / "cache"))
    (tmp_path / "site.conf").write_text(site)
    main = tmp_path / "nginx.conf"
    main.write_text(nginx_config(tmp_path, f"include {tmp_path}/site.conf;"))
    result = subprocess.run([NGINX, "-t", "-c", str(main)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def test_the_nginx_config_sends_what_readerfund_needs():
    site = (DEPLOY / "nginx.conf").read_text()
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in site
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site
    assert "Strict-Transport-Security" in site and "return 301 https://" in site
    assert "location = /metrics { return 404; }" in site
    assert "access_log off;" in site  # no readers' addresses in logs
    assert re.search(r"proxy_next_upstream [^;]*\berror\b", site)
    assert "non_idempotent" not in site  # a POST (a payment) is never sent to a second node


@pytest.mark.skipif(CADDY is None, reason="caddy is not installed (make servers)")
def test_the_caddyfile_passes_caddy_validate(tmp_path):
    caddyfile = tmp_path / "Caddyfile"
    caddyfile.write_text((DEPLOY / "Caddyfile").read_text())
    result = subprocess.run(
        [CADDY, "validate", "--adapter", "caddyfile", "--config", str(caddyfile)],
        capture_output=True, text=True, timeout=60,
        env={"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Valid configuration" in result.stdout + result.stderr


@pytest.mark.skipif(SYSTEMD_ANALYZE is None, reason="systemd-analyze is not installed")
@pytest.mark.parametrize("unit", ["readerfund-web.service", "readerfund-worker@.service"])
def test_the_systemd_units_pass_systemd_analyze_verify(unit, tmp_path):
    # verify wants the programs the unit names: the paths of this checkout's venv stand in.
    text = (DEPLOY / unit).read_text().replace("/opt/readerfund/.venv", str(ROOT / ".venv"))
    text = text.replace("EnvironmentFile=/etc/readerfund/", f"EnvironmentFile=-{tmp_path}/")
    name = unit.replace("@.service", "@1.service")
    (tmp_path / name).write_text(text)
    result = subprocess.run(
        [SYSTEMD_ANALYZE, "verify", "--man=no", str(tmp_path / name)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    # verify exits 0 on a line it ignores ("Failed to parse service type, ignoring"): any
    # complaint about the unit fails the test.
    problems = [line for line in result.stderr.splitlines() if name in line]
    assert not problems, result.stderr
    assert "readerfund serve" in text or "readerfund worker" in text


@pytest.mark.skipif(SYSTEMD_ANALYZE is None, reason="systemd-analyze is not installed")
def test_systemd_analyze_verify_catches_a_broken_unit(tmp_path):
    broken = tmp_path / "broken.service"
    broken.write_text("[Service]\nType=bogus\nExecStart=/bin/true\n")
    result = subprocess.run(
        [SYSTEMD_ANALYZE, "verify", "--man=no", str(broken)], capture_output=True, text=True
    )
    assert "broken.service" in result.stderr


def test_the_dockerfile_installs_the_locked_set_and_runs_unprivileged():
    lines = [
        line.strip()
        for line in (DEPLOY / "Dockerfile").read_text().replace("\\\n", " ").splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    instructions = [line.split()[0] for line in lines]
    known = {"FROM", "ENV", "RUN", "WORKDIR", "COPY", "USER", "VOLUME", "EXPOSE",
             "HEALTHCHECK", "CMD"}  # fmt: skip
    assert set(instructions) <= known, set(instructions) - known
    assert instructions[0] == "FROM"
    dockerfile = "\n".join(lines)
    assert "--require-hashes -r requirements.lock" in dockerfile
    assert (ROOT / "requirements.lock").exists()
    assert "USER readerfund" in dockerfile
    assert instructions.index("USER") > max(i for i, x in enumerate(instructions) if x == "RUN")
    for line in lines:  # every app package is copied into the image
        if line.startswith("COPY "):
            source = line.split()[1]
            assert (ROOT / source).exists(), source
    packages = re.search(r"include = \[(.*?)\]", (ROOT / "pyproject.toml").read_text()).group(1)
    for package in re.findall(r'"(\w+)\*"', packages):
        assert f"COPY {package} ./{package}" in dockerfile, package


def test_the_compose_file_runs_postgres_redis_web_and_worker_with_secrets_as_files():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"postgres", "redis", "web", "worker"}
    for name in ("web", "worker"):
        service = services[name]
        assert service["build"]["dockerfile"] == "docs/deploy/Dockerfile"
        env = service["environment"]
        assert env["DATABASE_URL"].startswith("postgres://") and "@postgres:" in env["DATABASE_URL"]
        assert env["REDIS_URL"].startswith("redis://redis:")
        secrets_given = set(service["secrets"])
        for variable, value in env.items():
            assert not variable.endswith(("_KEY", "_KEYS", "_SECRET", "_TOKEN")), variable
            if variable.endswith("_FILE"):
                assert value.removeprefix("/run/secrets/") in secrets_given, variable
    assert services["worker"]["command"] == ["readerfund", "worker"]
    assert "--no-worker" in services["web"]["command"]
    assert services["worker"]["depends_on"]["web"]["condition"] == "service_healthy"
    assert "noeviction" in services["redis"]["command"]
    assert services["web"]["ports"] == ["127.0.0.1:8000:8000"]  # only the proxy reaches it
    for secret in compose["secrets"].values():
        assert secret["file"].startswith("./secrets/")


def test_the_env_file_names_every_secret_as_a_file_and_holds_none():
    text = (DEPLOY / "readerfund.env").read_text()
    assert not re.search(
        r"^(?!STRIPE_PUBLISHABLE_KEY)(\w+_(KEYS?|SECRET|TOKEN|SMTP_URL))=", text, re.M
    )
    assert "sk_live_" not in text and "whsec_" not in text
