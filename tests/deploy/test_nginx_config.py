"""The committed nginx configuration is accepted, as written, by the nginx of the Debian
release docs/deploy.md targets (Debian 12: nginx 1.22; ``http2 on;`` would need 1.25.1)."""

from __future__ import annotations

import shutil

import pytest

from tests.nginx_front import NOT_INSTALLED, check_deployed_config, nginx_installed

pytestmark = [
    pytest.mark.nginx,
    pytest.mark.skipif(not nginx_installed(), reason=NOT_INSTALLED),
    pytest.mark.skipif(
        not shutil.which("openssl"), reason="openssl absent (apt-get install openssl)"
    ),
]


def test_nginx_accepts_the_committed_configuration_without_a_warning():
    result = check_deployed_config()

    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr
    assert "[warn]" not in result.stderr, result.stderr
