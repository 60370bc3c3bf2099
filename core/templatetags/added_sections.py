"""Sections that other features add to a feature's page, without that page naming them.

A page's template offers a place, named after a hook::

    {% load added_sections %}
    {% added_sections "register_actor_page_sections" actor %}

and each feature that has something to show there registers a function under that name::

    @hooks.register("register_actor_page_sections")
    def actor_classifieds(actor, request) -> tuple[str, dict] | None:
        return "classifieds/includes/actor_classifieds.html", {"classifieds": ...}

The function gets the place's subject (an actor, an event page) and the request, and
returns a template and its values, or ``None`` to add nothing. Each template is rendered
in place, in the page's own context plus its values (as ``{% include ... with %}`` would),
in the order of the hooks.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from wagtail import hooks

register = template.Library()


@register.simple_tag(takes_context=True)
def added_sections(context: template.Context, hook_name: str, subject: object) -> SafeString:
    """The sections features add at the place ``hook_name``, about ``subject``."""
    parts = []
    for hook in hooks.get_hooks(hook_name):
        section = hook(subject, context.get("request"))
        if section is None:
            continue
        template_name, values = section
        included = context.template.engine.get_template(template_name)
        with context.push(**values):
            parts.append(included.render(context))
    # Each part is a rendered (safe) template: joined as it is, never escaped again.
    return format_html_join("", "{}", ((part,) for part in parts))
