"""Factories for the portal's pages (tests and benchmarks)."""

import datetime

import factory
import wagtail_factories

from portal.models import ArticleIndexPage, ArticlePage


class ArticlePageFactory(wagtail_factories.PageFactory):
    """A published article; give it ``parent=ArticleIndexPage.objects.get()``."""

    title = factory.Sequence(lambda n: f"Article de quartier n° {n}")
    date = factory.LazyFunction(datetime.date.today)
    intro = "<p>Ce qui s'est passé cette semaine dans le quartier.</p>"
    live = True

    class Meta:
        model = ArticlePage

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if kwargs.get("parent") is None:
            kwargs["parent"] = ArticleIndexPage.objects.get()
        article = super()._create(model_class, *args, **kwargs)
        article.save_revision().publish()
        return article
