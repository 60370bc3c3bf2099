"""An imported portal is a new actor, not the exported one's double.

An export carries the portal's whole schema, its key pair and followers included
(``tenants.portability``). Imported under a new name, the copy would sign as the original
(the key's owner is read from its keyId, but a server that cached the key by its value
would take the copy's word for the original's) and would send its articles to people
who followed another actor. After an import (``AFTER_IMPORT``) the copy gets a key pair
of its own and starts with no followers, no former addresses, no failed deliveries; its
agenda's key is made anew at first use, and the agenda starts with no relays.
"""

from __future__ import annotations

from fediverse.keys import replace_key
from fediverse.models import (
    AgendaFollower,
    AgendaKey,
    DeliveryFailure,
    Follower,
    FormerAddress,
)
from tenants.models import Neighbourhood


def start_as_new_actor(neighbourhood: Neighbourhood, source_slug: str) -> None:
    """Give the imported portal (the current schema) its own key pair and no followers."""
    replace_key()
    Follower.objects.all().delete()
    AgendaKey.objects.all().delete()
    AgendaFollower.objects.all().delete()
    FormerAddress.objects.all().delete()
    DeliveryFailure.objects.all().delete()
