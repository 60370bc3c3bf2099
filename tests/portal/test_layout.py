"""The portal is one Django app organised as one package per domain (issue 17): each page
type renders from its own domain's template folder, and its modules import each other at
the top, so that an import cycle between them shows at once instead of hiding in a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from wagtail.models import Page

PORTAL = Path(apps.get_app_config("portal").path)
DOMAINS = {
    "news",
    "agenda",
    "blogs",
    "actors",
    "workshops",
    "methodology",
    "residencies",
    "education",
}
# Where an import inside a function remains, and why.
FUNCTION_IMPORTS_ALLOWED = {
    # Django's way: apps.py is imported before the models are ready.
    ("apps.py", "portal"),
    ("apps.py", "portal.actors"),  # its signals, connected once the models are ready
}


def _page_types() -> list[type[Page]]:
    return [
        model for model in apps.get_app_config("portal").get_models() if issubclass(model, Page)
    ]


def _template_exists(name: str) -> bool:
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return False
    return True


def test_each_page_type_renders_a_template_of_its_own_domain() -> None:
    misplaced = {}
    for model in _page_types():
        domain = model.__module__.split(".")[1]
        in_its_folder = domain in DOMAINS and model.template.startswith(f"portal/{domain}/")
        if not in_its_folder or not _template_exists(model.template):
            misplaced[model.__name__] = (model.__module__, model.template)
    assert not misplaced, f"page types outside their domain's folders: {misplaced}"


def _imports_inside_functions(path: Path) -> list[tuple[int, str]]:
    found = []
    for function in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.append((node.lineno, node.module))
            elif isinstance(node, ast.Import):
                found.extend((node.lineno, alias.name) for alias in node.names)
    return found


def test_portal_modules_import_each_other_at_the_top() -> None:
    hidden = [
        f"{path.relative_to(PORTAL)}:{line} imports {module}"
        for path in sorted(PORTAL.rglob("*.py"))
        if "migrations" not in path.parts
        for line, module in _imports_inside_functions(path)
        if module.split(".")[0] == "portal"
        and (str(path.relative_to(PORTAL)), module) not in FUNCTION_IMPORTS_ALLOWED
    ]
    assert not hidden, "imports inside functions hide a cycle:\n" + "\n".join(hidden)
