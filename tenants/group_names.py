"""The names of the groups a portal is furnished with.

Kept apart from ``default_portal`` (which builds them and imports the features' pages) so
that ``core.roles`` can rank these groups without importing any feature.
"""

ANIMATORS = "Animateurs"
CONTRIBUTORS = "Contributeurs"
# Only in the federation's portal (see provisioning): runs the network from its admin.
FEDERATION_STAFF = "Fédération"
