"""URLs of a portal (neighbourhood or federation): its Wagtail admin and page tree."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.views import account
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from core import admin_assets, admin_reports, password_views, second_factor_views, views
from portal.agenda import network as network_agenda
from portal.search import search
from radio import network as network_podcast
from tenants.portal_secrets import portal_token_generator
from tenants.support_views import enter as enter_support

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
        password_views.PasswordResetConfirmView.as_view(token_generator=portal_token_generator),
        name="wagtailadmin_password_reset_confirm",
    ),
    # Federation staff's single-use link into a portal's admin (tenants/support_access.py):
    # outside Wagtail's admin URLs, which ask for a signed-in person first.
    path("admin/support/entrer/<str:token>/", enter_support, name="support_enter"),
    # Wagtail's login, waiting for the second factor of those asked for one, and its code
    # and enrolment pages (core/second_factor_views.py): before Wagtail's own login.
    path("admin/login/", second_factor_views.LoginView.as_view(), name="wagtailadmin_login"),
    path("admin/login/code/", second_factor_views.code, name="second_factor_code"),
    path("admin/login/code/activer/", second_factor_views.enrol, name="second_factor_enrol"),
    # The admin's icons and script translations, with the cache headers Wagtail leaves
    # out (core/admin_assets.py): before Wagtail's admin so that these are the ones served.
    path("admin/sprite/", admin_assets.sprite, name="wagtailadmin_sprite"),
    path(
        "admin/jsi18n/",
        admin_assets.javascript_catalog,
        name="wagtailadmin_javascript_catalog",
    ),
    *admin_reports.report_urls(),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    # A subscriber's links (confirm, manage, one-click unsubscribe): no language prefix, so
    # the address in an e-mail never changes with the reader's language.
    path("abonnement/", include("newsletter.urls")),
    # The fediverse's addresses (WebFinger, NodeInfo, the actor's inbox and collections):
    # fixed by their protocols, without a language prefix.
    path("", include("fediverse.urls")),
    # The network's agenda and podcast, on the federation's host only (404 elsewhere):
    # files and feeds, whose addresses never change with the reader's language.
    path("reseau/agenda.ics", network_agenda.agenda_calendar, name="network-agenda-ical"),
    path("reseau/agenda/rss/", network_agenda.agenda_feed, name="network-agenda-rss"),
    path("reseau/podcast.rss", network_podcast.podcast, name="network-podcast"),
    # The network sign-in to the animators' space (federation's host only).
    path("reseau/espace/", include("network_space.urls")),
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", views.tenant_media, name="media"),
]

# French pages have no prefix; other languages live under /en/, /ar/...
urlpatterns += i18n_patterns(
    path("recherche/", search, name="portal-search"),
    path("reseau/agenda/", network_agenda.agenda, name="network-agenda"),
    # Wagtail's front-end login (page privacy) is Django's LoginView: a password alone would
    # open the admin's session there, past the second factor. Sent to the admin's login,
    # which asks for the code, with its ``next``.
    path(
        "_util/login/",
        RedirectView.as_view(pattern_name="wagtailadmin_login", query_string=True),
        name="wagtailcore_login",
    ),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

handler404 = "core.views.page_not_found"
handler500 = "core.outage.server_error"
