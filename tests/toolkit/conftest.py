"""The toolkit's portals: two neighbourhoods and the federation, each sheet shared."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django_tenants.utils import schema_context

from portal.factories import MethodologyPageFactory
from portal.methodology.toolkit import set_collection_sheets
from tenants.default_portal import FEDERATION_STAFF
from tenants.factories import ToolkitCollectionFactory
from tenants.models import Neighbourhood, SharedEntry
from tenants.toolkit import ToolkitCollection
from tests.conftest import PASSWORD, host


@pytest.fixture(scope="module")
def federation(make_portal) -> Neighbourhood:
    return make_portal("federation", kind="federation", name="Fédération Quartiers")


def make_user(portal: Neighbourhood, username: str, group: str | None = None, **extra):
    with schema_context(portal.schema_name):
        user = get_user_model().objects.create_user(
            username=username, email=username, password=PASSWORD, **extra
        )
        if group:
            user.groups.add(Group.objects.get(name=group))
    return user


def logged_in(portal: Neighbourhood, user) -> Client:
    """A browser at the portal's host, logged in through the admin's own login form."""
    client = Client(HTTP_HOST=host(portal))
    response = client.post("/admin/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "the login form refused the account"
    return client


@pytest.fixture
def staff(federation) -> Client:
    """A member of the federation's "Fédération" group, logged in at the federation."""
    return logged_in(
        federation, make_user(federation, "equipe@federation.example", FEDERATION_STAFF)
    )


def share_sheet(portal: Neighbourhood, title: str, module: str = "workshop") -> SharedEntry:
    """A sheet published by ``portal``: its row of the federation index."""
    with schema_context(portal.schema_name):
        sheet = MethodologyPageFactory(title=title, module=module, summary=f"Résumé : {title}")
    return SharedEntry.objects.get(tenant=portal, page_id=sheet.pk)


@pytest.fixture
def sheets(alpha, beta, federation) -> dict[str, SharedEntry]:
    return {
        "cartes": share_sheet(alpha, "Cartographier ses voisins", "mapping"),
        "fake": share_sheet(alpha, "Démonter une fausse information", "media_literacy"),
        "petit-dej": share_sheet(beta, "Petit-déjeuner des associations", "breakfast"),
    }


@pytest.fixture
def kit(sheets) -> ToolkitCollection:
    """ "Kit de démarrage": two sheets of alpha and one of beta."""
    collection = ToolkitCollectionFactory(title="Kit de démarrage", slug="kit-de-demarrage")
    set_collection_sheets(collection, [sheets["cartes"], sheets["fake"], sheets["petit-dej"]])
    return collection
