"""The names of the groups a portal is furnished with.

Kept apart from ``default_portal`` (which builds them, and reads the features' hooks) so
that ``core.roles`` and the features can name these groups without importing it.
"""

ANIMATORS = "Animateurs"
CONTRIBUTORS = "Contributeurs"
# Only in the federation's portal (see provisioning): runs the network from its admin.
FEDERATION_STAFF = "Fédération"
# Federation staff helping a portal for a limited time (tenants/support_access.py): given
# and taken back by the network's support screens only, never by a portal's user admin.
SUPPORT = "Support réseau"
