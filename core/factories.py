"""What every app's page factories share (tests and benchmarks)."""

import wagtail_factories


class PublishedPageFactory(wagtail_factories.PageFactory):
    """A page published with a revision, under ``parent`` or under ``default_parent()``."""

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
        page = super()._create(model_class, *args, **kwargs)
        page.save_revision().publish()
        return page
