"""Methodology sheets, and the network's hub where every portal's shared sheets meet.

``models`` (the "Méthodologie" section and its sheets), ``hub`` (the federation's hub
page), ``network`` (the shared entries the hub lists), ``feeds`` (the hub's RSS),
``adoption`` and ``admin_views`` (copying another portal's sheet as a draft here);
templates in ``portal/templates/portal/methodology/``.
"""
