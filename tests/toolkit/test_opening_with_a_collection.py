"""A collection chosen when a portal is opened: the new portal starts with its sheets, or,
if copying fails, the portal is not opened at all."""

from __future__ import annotations

from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django_tenants.utils import schema_context, schema_exists
from wagtail import hooks
from wagtail.documents import get_document_model

from portal.models import MethodologyPage
from tenants.extension_points import OPENING_CHOICES, OpeningChoice
from tenants.media import portal_prefix
from tenants.models import Neighbourhood
from tenants.toolkit import Adoption

pytestmark = pytest.mark.django_db

OPEN = "/admin/reseau/ouvrir/"
GAMMA = {
    "name": "Portail Gamma",
    "slug": "gamma",
    "city": "Lyon",
    "domain": "",
    "animator_email": "anim@gamma.example",
}


def test_the_opening_form_offers_the_collections(staff, kit):
    text = staff.get(OPEN).text

    assert "Collection de fiches de départ" in text
    assert "Kit de démarrage (3 fiches)" in text


def test_a_portal_opened_with_a_collection_starts_with_its_sheets_as_drafts(staff, kit):
    response = staff.post(OPEN, {**GAMMA, "toolkit_collection": kit.slug})

    assert response.status_code == 302
    gamma = Neighbourhood.objects.get(schema_name="gamma")
    with schema_context("gamma"):
        copies = list(MethodologyPage.objects.order_by("title"))
        animator = copies[0].owner.username if copies else None
    assert [copy.title for copy in copies] == [
        "Cartographier ses voisins",
        "Démonter une fausse information",
        "Petit-déjeuner des associations",
    ]
    assert not any(copy.live for copy in copies)
    assert animator == "anim@gamma.example"
    assert Adoption.objects.filter(portal=gamma, collection=kit).count() == 3


def test_an_unknown_collection_is_refused_and_opens_nothing(staff, kit):
    response = staff.post(OPEN, {**GAMMA, "toolkit_collection": "n-existe-pas"})

    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.text
    assert not Neighbourhood.objects.filter(schema_name="gamma").exists()


def test_a_failed_copy_leaves_no_half_made_portal(staff, kit, sheets, alpha):
    with schema_context(alpha.schema_name):
        # The first sheet carries a document: its copy reaches the new portal's media...
        document = get_document_model()(title="Grille")
        document.file.save("grille.txt", ContentFile(b"1. Accueil\n"))
        first = MethodologyPage.objects.get(pk=sheets["cartes"].page_id)
        first.attachments = [("document", {"document": document, "label": "La grille"})]
        first.save_revision().publish()
        # ...then the index lists a sheet its portal no longer publishes (a missed signal).
        MethodologyPage.objects.filter(pk=sheets["fake"].page_id).update(live=False)

    response = staff.post(OPEN, {**GAMMA, "toolkit_collection": kit.slug})

    assert response.status_code == 200
    assert "n&#x27;a pas pu être copiée" in response.text
    assert "le portail n&#x27;est pas ouvert" in response.text
    assert not Neighbourhood.objects.filter(schema_name="gamma").exists()
    assert not schema_exists("gamma")
    assert not Adoption.objects.exists()
    assert not (Path(settings.MEDIA_ROOT) / portal_prefix("gamma")).exists()


def test_any_feature_offers_a_choice_at_opening_through_the_extension_point(staff):
    def refuse(provisioning, value) -> None:
        raise ValidationError({"station": "Cette station n'accueille plus de portail."})

    choice = OpeningChoice(
        key="station",
        field=lambda: forms.CharField(label="Station de départ", required=False),
        apply=refuse,
    )
    with hooks.register_temporarily(OPENING_CHOICES, lambda: [choice]):
        form = staff.get(OPEN).text
        response = staff.post(OPEN, {**GAMMA, "station": "fip"})

    assert "Station de départ" in form
    assert "Cette station n&#x27;accueille plus de portail." in response.text
    assert not Neighbourhood.objects.filter(schema_name="gamma").exists()
    assert not schema_exists("gamma")
