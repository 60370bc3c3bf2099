"""The toolkit's portals: two neighbourhoods and the federation, each sheet shared."""

from __future__ import annotations

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from portal.factories import MethodologyPageFactory
from portal.methodology.toolkit import set_collection_sheets
from tenants.default_portal import FEDERATION_STAFF
from tenants.factories import ToolkitCollectionFactory
from tenants.models import Neighbourhood, SharedEntry
from tenants.toolkit import ToolkitCollection
from tests.federation.test_network_admin import logged_in, make_user


@pytest.fixture(scope="module")
def federation(make_portal) -> Neighbourhood:
    return make_portal("federation", kind="federation", name="Fédération Quartiers")


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
