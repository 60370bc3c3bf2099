"""What every portal's classifieds start with: six categories and the moderators' rights."""

from classifieds.models import ClassifiedCategory

DEFAULT_CATEGORIES = [
    ("services-entraide", "Services et entraide"),
    ("objets", "Objets à donner ou à vendre"),
    ("emploi-formation", "Emploi et formation"),
    ("logement", "Logement"),
    ("sorties-evenements", "Sorties et événements"),
    ("perdu-trouve", "Objets perdus et trouvés"),
]

# The "Animateurs" group moderates ads and edits the categories; nobody creates an ad in
# the admin: ads come from residents, through the public form.
ANIMATOR_PERMISSIONS = [
    "view_classified",
    "change_classified",
    "delete_classified",
    "add_classifiedcategory",
    "change_classifiedcategory",
    "delete_classifiedcategory",
    "view_classifiedcategory",
]


def ensure_default_categories() -> None:
    """Give the current schema the default categories (kept if the animator renamed them)."""
    for order, (slug, name) in enumerate(DEFAULT_CATEGORIES):
        ClassifiedCategory.objects.get_or_create(
            slug=slug, defaults={"name": name, "sort_order": order}
        )
