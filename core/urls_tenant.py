"""URLs of a portal (neighbourhood or federation): its Wagtail admin and page tree."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.views import account
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from core import views
from portal.search import search
from tenants.portal_secrets import portal_token_generator

urlpatterns = [
    # Wagtail's own password views, with tokens bound to the portal's secret (invitations
    # and resets): listed before Wagtail's admin so that these are the ones served.
    path(
        "admin/password_reset/",
        account.PasswordResetView.as_view(token_generator=portal_token_generator),
        name="wagtailadmin_password_reset",
    ),
    path(
        "admin/password_reset/confirm/<uidb64>/<token>/",
        account.PasswordResetConfirmView.as_view(token_generator=portal_token_generator),
        name="wagtailadmin_password_reset_confirm",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    # A subscriber's links (confirm, manage, one-click unsubscribe): no language prefix, so
    # the address in an e-mail never changes with the reader's language.
    path("abonnement/", include("newsletter.urls")),
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", views.tenant_media, name="media"),
]

# French pages have no prefix; other languages live under /en/, /ar/...
urlpatterns += i18n_patterns(
    path("recherche/", search, name="portal-search"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

handler404 = "core.views.page_not_found"
handler500 = "core.outage.server_error"
