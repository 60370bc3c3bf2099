"""``make run PORT=8100``: the port given is the port every link of the network names."""

from __future__ import annotations

import io
import subprocess

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django_tenants.utils import schema_context
from wagtail.models import Site

from portal.factories import MethodologyPageFactory
from tenants.invitations import send_invitation
from tenants.models import Neighbourhood, SharedEntry

pytestmark = pytest.mark.django_db


def site_of(portal: Neighbourhood) -> tuple[str, int]:
    with schema_context(portal.schema_name):
        site = Site.objects.get(is_default_site=True)
    return site.hostname, site.port


@pytest.fixture
def sheet_at_8000(alpha) -> str:
    """A sheet shared with the network, published while the network was served on 8000."""
    with schema_context(alpha.schema_name):
        MethodologyPageFactory(title="La table ronde", slug="table-ronde")
    url = SharedEntry.objects.get(tenant=alpha).url
    assert url == "http://alpha.localhost:8000/methodologie/table-ronde/"
    return url


def test_network_urls_on_another_port_makes_every_link_name_that_port(
    alpha, sheet_at_8000, settings, client_for, mailoutbox
):
    assert site_of(alpha) == ("alpha.localhost", 8000)
    settings.PUBLIC_PORT = 8100
    output = io.StringIO()

    call_command("network_urls", stdout=output)

    assert "Liens refaits pour le port 8100" in output.getvalue()
    assert "http://alpha.localhost:8100/" in output.getvalue()
    assert site_of(alpha) == ("alpha.localhost", 8100)
    page = client_for(alpha).get("/methodologie/table-ronde/").text
    address = "http://alpha.localhost:8100/methodologie/table-ronde/"
    assert f'<link rel="canonical" href="{address}">' in page
    assert f'<meta property="og:url" content="{address}">' in page
    assert ":8000" not in page
    assert SharedEntry.objects.get(tenant=alpha).url == address
    with schema_context(alpha.schema_name):
        animator = get_user_model().objects.get(groups__name="Animateurs")
    send_invitation(alpha, animator)
    [invitation] = mailoutbox
    assert "http://alpha.localhost:8100/admin/" in invitation.body
    assert ":8000" not in invitation.body


def test_a_second_run_on_the_same_port_changes_nothing(alpha, settings):
    settings.PUBLIC_PORT = 8100
    call_command("network_urls", stdout=io.StringIO())
    output = io.StringIO()

    call_command("network_urls", stdout=output)

    assert "Liens refaits" not in output.getvalue()
    assert site_of(alpha) == ("alpha.localhost", 8100)


def test_make_run_gives_its_port_to_the_seed_the_links_and_the_server():
    plan = subprocess.run(
        ["make", "-n", "run", "PORT=8100"],  # noqa: S607 -- make from the PATH, dry run
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    assert "PUBLIC_PORT=8100 .venv/bin/python manage.py seed_demo" in plan
    assert "PUBLIC_PORT=8100 .venv/bin/python manage.py network_urls" in plan
    assert "PUBLIC_PORT=8100 .venv/bin/gunicorn" in plan
    assert "--bind 0.0.0.0:8100" in plan
