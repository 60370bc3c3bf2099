"""The repository's own nginx configuration, run in a temporary folder in front of a server.

``deploy/nginx/quartiers.conf`` is used as committed, with only what a test machine
cannot have swapped out: the TLS listener becomes plain http on a free loopback port (no
certificate here), and the upstream,
cache and static paths point at the test's own. Each swap must find its text exactly
once, so a change to the deployed file that these tests no longer cover fails loudly.
The bench's ``bench/servers.py`` starts nginx the same way.

Visitors connect from addresses of their own on the loopback network (127.0.0.2, ...),
so nginx sees each one as a different client, as it would on the Internet.
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


def deployed_config(*, port: int, redirect_port: int, upstream_port: int, prefix: Path) -> str:
    """``quartiers.conf`` as committed, made runnable on this machine (see the module)."""
    text = (DEPLOY / "quartiers.conf").read_text()
    text = _swap(text, "listen 80;", f"listen 127.0.0.1:{redirect_port};")
    text = _swap(text, "listen [::]:80;", "")
    text = _swap(text, "listen 443 ssl http2;", f"listen 127.0.0.1:{port};")
    text = _swap(text, "listen [::]:443 ssl http2;", "")
    text, certificates = re.subn(r"^\s*ssl_certificate(_key)?\s+\S+;\n", "", text, flags=re.M)
    if certificates != 2:
        raise AssertionError("deploy/nginx/quartiers.conf : ssl_certificate(_key) a changé")
    text = _swap(text, "server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream_port};")
    text = _swap(text, "/var/cache/nginx/quartiers", str(prefix / "cache"))
    text = _swap(text, "/srv/quartiers/var/static/", f"{prefix}/static/")
    return _swap(
        text,
        "include snippets/quartiers-cache.conf;",
        f"include {DEPLOY / 'quartiers-cache.conf'};",
    )


@contextmanager
def nginx_in_front_of(upstream_port: int) -> Iterator[int]:
    """Run nginx with the deployed configuration, proxying to 127.0.0.1:``upstream_port``,
    until the block ends; yields the port it listens on (127.0.0.1)."""
    port = free_port()
    prefix = Path(tempfile.mkdtemp(prefix="quartiers-nginx-test-"))
    for folder in ("logs", "static", "cache"):
        (prefix / folder).mkdir()
    # nginx's workers drop to an unprivileged user when started as root.
    user = "user root root;" if os.geteuid() == 0 else ""
    site = deployed_config(
        port=port, redirect_port=free_port(), upstream_port=upstream_port, prefix=prefix
    )
    (prefix / "nginx.conf").write_text(f"""
{user}
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 256; }}
http {{
    default_type text/html;
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
{site}
}}
""")
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
