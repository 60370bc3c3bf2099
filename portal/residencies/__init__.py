"""Media residencies: a team of the network on a territory for a few months.

``models`` (the section and the residency page, its timeline), ``blocks`` (phases, modules,
partners), ``demo`` (one residency in each demo neighbourhood), ``hooks`` (its place in
the extension points); templates in ``portal/templates/portal/residencies/``, the
timeline's stylesheet (screen and print) in ``portal/static/portal/residencies/``.
"""
