"""Wagtail's admin template tags, with the base URL of e-mails taken from the portal.

Wagtail builds the links of its notification e-mails (moderation, comments) from the
single ``WAGTAILADMIN_BASE_URL`` setting. Installed in place of ``wagtailadmin_tags``
(``TEMPLATES["OPTIONS"]["libraries"]``), this library keeps every Wagtail tag and
filter but answers ``base_url_setting`` with the active portal's own address, so an
e-mail about portal B links to B.
"""

from django import template
from wagtail.admin.templatetags import wagtailadmin_tags

from tenants.addresses import current_portal_base_url

register = template.Library()
register.tags.update(wagtailadmin_tags.register.tags)
register.filters.update(wagtailadmin_tags.register.filters)


@register.simple_tag
def base_url_setting(default=None):
    return current_portal_base_url() or wagtailadmin_tags.base_url_setting(default)
