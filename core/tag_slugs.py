"""Tags' slugs that fit their column, whatever the tag's name (django-taggit issue 747).

taggit builds a tag's slug from its name, and the slug may come out longer than the name:
``slugify`` applies NFKC ("ﬃ" becomes "ffi") and lower case ("İ" becomes two characters),
and a tag whose slug is taken gets "_1" added. Past the column's 100 characters PostgreSQL
refused the row, and whatever saved the tag answered a 500: accepting a resident's actor
proposal, an animator's CSV import, a tag typed in the admin.
"""

import hashlib

from django.db.models.signals import pre_save
from taggit.models import Tag

# A hyphen and eight hexadecimal digits of the name's digest end a shortened slug.
DIGEST_LENGTH = 8


def fit_slug(sender: type[Tag], instance: Tag, **kwargs: object) -> None:
    """Shorten a slug too long for its column, ending it with a digest of the tag's name:
    two long names that begin alike still get two slugs."""
    most = sender._meta.get_field("slug").max_length
    if len(instance.slug) > most:
        digest = hashlib.sha256(instance.name.encode()).hexdigest()[:DIGEST_LENGTH]
        instance.slug = f"{instance.slug[: most - DIGEST_LENGTH - 1]}-{digest}"


def connect_signals() -> None:
    """Check every tag's slug as it is saved."""
    pre_save.connect(fit_slug, sender=Tag, dispatch_uid="tag-slug-fits")
