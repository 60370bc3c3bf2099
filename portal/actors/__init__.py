"""The neighbourhood's actors: the directory and its map, residents' proposals, the shared
address book.

``models`` (actors, and residents' proposals of one), ``section`` (the directory page,
whose routes are the ``views``), ``directory`` (the one selection of actors every listing
uses), ``forms`` (the public filters and the proposal form), ``proposals`` (a proposal's
life) and ``proposal_admin`` (its moderation screen), ``exports``, ``csv_import`` and
``address_book_views`` (the address book as CSV, vCard, GeoJSON); templates in
``portal/templates/portal/actors/``, the map's script and Leaflet in
``portal/static/portal/actors/``. The ``actor_tags`` template library stays in
``portal/templatetags/``, where Django looks for it.
"""
