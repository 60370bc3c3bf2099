"""The network directory costs the same number of queries with 2 portals or 20."""

import pytest
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

from tenants.models import Domain, Neighbourhood

pytestmark = pytest.mark.django_db


def add_registry_rows(start: int, count: int) -> None:
    """Registry rows only: the directory reads nothing of a portal's own schema."""
    portals = Neighbourhood.objects.bulk_create(
        Neighbourhood(schema_name=f"annuaire{n}", name=f"Quartier {n}", city="Bobigny")
        for n in range(start, start + count)
    )
    Domain.objects.bulk_create(
        Domain(domain=f"annuaire{portal.schema_name[8:]}.localhost", tenant=portal, is_primary=True)
        for portal in portals
    )


def directory_queries(client) -> tuple[int, str]:
    reset_queries()  # Django's query log keeps 9,000 queries: once full, none are seen
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_directory_queries_do_not_grow_with_the_number_of_portals(client_for):
    add_registry_rows(0, 2)
    few, _ = directory_queries(client_for(None))
    add_registry_rows(2, 18)
    many, html = directory_queries(client_for(None))

    assert many == few
    assert "http://annuaire19.localhost" in html
