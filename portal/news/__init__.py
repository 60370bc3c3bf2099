"""News of the neighbourhood: articles and their categories, the participatory journal.

``models`` (the "Actualités" section and its articles), ``journal`` (numbered issues for
print), ``feeds`` (the section's RSS); templates in ``portal/templates/portal/news/``.
"""
