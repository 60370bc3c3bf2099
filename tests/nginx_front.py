"""The repository's own nginx configuration, checked and run on this machine.

One helper for the tests and the benches (``bench/pages.py``): ``nginx_in_front_of`` runs
``deploy/nginx/quartiers.conf`` as committed, with only what a test machine cannot have
swapped out: the TLS listener becomes plain http on a free loopback port (no
certificate here), and the upstream, cache and static paths point at the run's own.
``check_deployed_config`` runs ``nginx -t`` on the file with its listeners as committed
(``listen 443 ssl http2``), only the certificate and cache paths swapped. Each swap must
find its text exactly once, so a change to the deployed file that these helpers no
longer cover fails loudly. Both wrap the file in the ``http`` block of Debian 12's own
``/etc/nginx/nginx.conf`` (the release docs/deploy.md targets), so a directive that
clashes with Debian's defaults fails here as it would there.

Visitors connect from addresses of their own on the loopback network (127.0.0.2, ...),
so nginx sees each one as a different client, as it would on the Internet.

Nothing here imports Django.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy" / "nginx"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
NOT_INSTALLED = (
    "nginx absent : tests derrière la configuration deploy/nginx non joués "
    "(apt-get install nginx-light pour les jouer ; .ci/run l'installe)."
)
# Debian's own list of types (package nginx-common): static files get their real type.
MIME_TYPES = Path("/etc/nginx/mime.types")


def nginx_installed() -> bool:
    """Whether an nginx executable is there to run."""
    return Path(NGINX).exists()


def free_port() -> int:
    """A TCP port nobody listens on right now, on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _swap(text: str, old: str, new: str) -> str:
    count = text.count(old)
    if count != 1:
        raise AssertionError(f"deploy/nginx/quartiers.conf : {old!r} trouvé {count} fois, pas 1")
    return text.replace(old, new)


def _swap_certificates(text: str, certificate: str = "", key: str = "") -> str:
    """The two certificate lines, pointed at ``certificate`` and ``key`` (or removed)."""
    lines = {"": f"ssl_certificate {certificate};", "_key": f"ssl_certificate_key {key};"}
    pattern = r"^(\s*)ssl_certificate(_key)?\s+\S+;$"

    def replace(match: re.Match) -> str:
        return f"{match.group(1)}{lines[match.group(2) or '']}" if certificate else ""

    text, count = re.subn(pattern, replace, text, flags=re.M)
    if count != 2:
        raise AssertionError("deploy/nginx/quartiers.conf : ssl_certificate(_key) a changé")
    return text


VIEWS_LOG = "/var/log/nginx/quartiers-views.log"


def deployed_config(
    *,
    port: int,
    redirect_port: int,
    upstream_port: int,
    prefix: Path,
    static_root: Path,
    views_log: Path | None = None,
) -> str:
    """``quartiers.conf`` as committed, made runnable on this machine (see the module); the
    log of views served from nginx's cache goes to ``views_log`` (in ``prefix`` if None)."""
    text = (DEPLOY / "quartiers.conf").read_text()
    text = _swap(text, "listen 80;", f"listen 127.0.0.1:{redirect_port};")
    text = _swap(text, "listen [::]:80;", "")
    text = _swap(text, "listen 443 ssl http2;", f"listen 127.0.0.1:{port};")
    text = _swap(text, "listen [::]:443 ssl http2;", "")
    text = _swap_certificates(text)
    text = _swap(text, "server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream_port};")
    text = _swap(text, "/var/cache/nginx/quartiers", str(prefix / "cache"))
    text = _swap(text, VIEWS_LOG, str(views_log or prefix / "quartiers-views.log"))
    return _swap(text, "/srv/quartiers/var/static/", f"{static_root}/")


def _main_config(prefix: Path, *, workers: int = 1, connections: int = 256) -> str:
    """nginx.conf for a run in ``prefix``: Debian 12's ``/etc/nginx/nginx.conf`` (its
    ``http`` block as shipped), with its files and temporary folders in ``prefix``, and
    ``sites-enabled/*`` included as Debian does."""
    # nginx's workers drop to an unprivileged user when started as root.
    user = "user root root;" if os.geteuid() == 0 else ""
    mime_types = f"include {MIME_TYPES};" if MIME_TYPES.exists() else ""
    return f"""
{user}
worker_processes {workers};
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections {connections}; }}
http {{
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    {mime_types}
    default_type application/octet-stream;
    ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
    ssl_prefer_server_ciphers on;
    access_log off;
    gzip on;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include sites-enabled/*;
}}
"""


def _prefix(site: str, **main: int) -> Path:
    """A temporary folder laid out like /etc/nginx, with ``site`` in sites-enabled and
    the cache snippet in snippets/, where the committed ``include`` line finds it."""
    prefix = Path(tempfile.mkdtemp(prefix="quartiers-nginx-"))
    for folder in ("logs", "cache", "sites-enabled", "snippets"):
        (prefix / folder).mkdir()
    shutil.copy(DEPLOY / "quartiers-cache.conf", prefix / "snippets")
    (prefix / "sites-enabled" / "quartiers.conf").write_text(site)
    (prefix / "nginx.conf").write_text(_main_config(prefix, **main))
    return prefix


def check_deployed_config() -> subprocess.CompletedProcess:
    """``nginx -t`` on ``quartiers.conf`` with its listeners, server names and includes
    as committed; a self-signed certificate stands for Let's Encrypt's. Needs openssl."""
    work = Path(tempfile.mkdtemp(prefix="quartiers-nginx-check-"))
    try:
        certificate, key = work / "fullchain.pem", work / "privkey.pem"
        openssl = [shutil.which("openssl") or "openssl", "req", "-x509", "-newkey", "rsa:2048"]
        subject = ["-nodes", "-days", "2", "-subj", "/CN=quartiers.example"]
        subprocess.run(  # noqa: S603 (the system's openssl)
            [*openssl, *subject, "-keyout", str(key), "-out", str(certificate)],
            capture_output=True,
            check=True,
        )
        text = _swap_certificates(
            (DEPLOY / "quartiers.conf").read_text(), str(certificate), str(key)
        )
        text = _swap(text, "/var/cache/nginx/quartiers", str(work / "cache"))
        text = _swap(text, VIEWS_LOG, str(work / "quartiers-views.log"))
        prefix = _prefix(text)
        try:
            return subprocess.run(  # noqa: S603 (the system's nginx, our own configuration)
                [NGINX, "-t", "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
        finally:
            shutil.rmtree(prefix, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


@contextmanager
def nginx_in_front_of(
    upstream_port: int,
    *,
    static_root: Path | None = None,
    workers: int = 1,
    connections: int = 256,
    views_log: Path | None = None,
) -> Iterator[int]:
    """Run nginx with the deployed configuration, proxying to 127.0.0.1:``upstream_port``
    and serving ``/static/`` from ``static_root`` (an empty folder if None), until the block
    ends; yields the port it listens on (127.0.0.1). The views nginx serves from its cache
    are logged to ``views_log`` (a temporary file if None)."""
    port = free_port()
    empty = Path(tempfile.mkdtemp(prefix="quartiers-nginx-static-"))
    site = deployed_config(
        port=port,
        redirect_port=free_port(),
        upstream_port=upstream_port,
        prefix=empty,
        static_root=static_root or empty,
        views_log=views_log,
    )
    prefix = _prefix(site, workers=workers, connections=connections)
    process = subprocess.Popen(  # noqa: S603 (the system's nginx, our own configuration)
        [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for(port, process, prefix)
        yield port
    finally:
        process.send_signal(signal.SIGQUIT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(prefix, ignore_errors=True)
        shutil.rmtree(empty, ignore_errors=True)


def _wait_for(port: int, process: subprocess.Popen, prefix: Path) -> None:
    deadline = time.monotonic() + 10
    while True:
        if process.poll() is not None:
            log = (prefix / "logs" / "error.log").read_text(errors="replace")
            raise RuntimeError(f"nginx s'est arrêté : {process.stderr.read().decode()}{log}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


class Visitor:
    """One person's browser, connecting from its own address: keeps its cookies and the
    last CSRF token it was given, like a browser filling in a form."""

    def __init__(self, port: int, host: str, address: str) -> None:
        self.port = port
        self.host = host
        self.address = address
        self.cookies: dict[str, str] = {}
        self.csrf_token = ""

    def request(
        self, method: str, path: str, data: dict | None = None, headers: dict | None = None
    ) -> tuple[int, dict[str, str], str]:
        """Send one request through nginx; status, headers (lower-case names), body."""
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=60, source_address=(self.address, 0)
        )
        sent = {"Host": self.host, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": self.csrf_token, **data})
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            text = response.read().decode()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    cookie = rest.split(";", 1)[0]
                    if cookie in ("", '""') or "max-age=0" in rest.lower():
                        self.cookies.pop(name.strip(), None)  # deleted by the server
                    else:
                        self.cookies[name.strip()] = cookie
            received = {name.lower(): value for name, value in response.getheaders()}
        finally:
            connection.close()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
        if token:
            self.csrf_token = token.group(1)
        return response.status, received, text

    def get(self, path: str, headers: dict | None = None) -> tuple[int, dict[str, str], str]:
        """GET ``path``."""
        return self.request("GET", path, headers=headers)

    def post(
        self, path: str, data: dict, headers: dict | None = None
    ) -> tuple[int, dict[str, str], str]:
        """Post a form on ``path`` after loading it (for its CSRF cookie and token)."""
        self.get(path, headers)
        return self.request("POST", path, data=data, headers=headers)
