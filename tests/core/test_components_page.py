"""The design system's page of components (/admin/composants/): every component in the
portal's colours, for those who edit pages and for nobody else."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django_tenants.utils import schema_context

from tests.conftest import PASSWORD, logged_in

pytestmark = pytest.mark.django_db

URL = "/admin/composants/"


def _admin_without_pages(portal):
    """Someone who may enter the admin but edit no page (a group of their own)."""
    with schema_context(portal.schema_name):
        group, _ = Group.objects.get_or_create(name="Lecture seule")
        group.permissions.add(Permission.objects.get(codename="access_admin"))
        user, _ = get_user_model().objects.get_or_create(
            username="lecteur@example.org", defaults={"email": "lecteur@example.org"}
        )
        user.set_password(PASSWORD)
        user.save()
        user.groups.add(group)
    return user


def test_an_animator_sees_every_component_in_the_portals_colours(alpha, client_for, animator_of):
    browser = logged_in(client_for(alpha), animator_of(alpha))

    page = browser.get(URL)
    menu = browser.get("/admin/")

    assert page.status_code == 200
    for heading in ("Couleurs", "Boutons et liens", "La une et les cartes", "Formulaires"):
        assert heading in page.text
    for component in ('class="date-badge"', 'class="lead"', "notice--error", "field--error"):
        assert component in page.text
    assert '"url": "/admin/composants/"' in menu.text  # the sidebar's menu


def test_a_visitor_is_sent_to_the_login_page(alpha, client_for):
    response = client_for(alpha).get(URL)

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_an_admin_user_who_edits_no_page_is_refused(alpha, client_for):
    """Wagtail's admin answers a refusal by sending back to the dashboard with a message."""
    browser = logged_in(client_for(alpha), _admin_without_pages(alpha))

    response = browser.get(URL)

    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert "date-badge" not in browser.get(URL, follow=True).text
    assert '"url": "/admin/composants/"' not in browser.get("/admin/").text
