"""Participatory workshops and the project seeds born there.

``models`` (workshops, their diagnosis and seeds), ``section`` (the "Graines de projet"
page, whose routes are the ``views``), ``forms`` and ``seeds`` ("I want to join", relayed
to the action group by e-mail); templates in ``portal/templates/portal/workshops/``.
"""
