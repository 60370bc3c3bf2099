"""The fediverse's addresses of a portal (included by ``core.urls_tenant``)."""

from django.urls import path

from fediverse import agenda_views, views

urlpatterns = [
    path(".well-known/webfinger", views.webfinger, name="fediverse-webfinger"),
    path(".well-known/nodeinfo", views.nodeinfo_links, name="fediverse-nodeinfo-links"),
    path("nodeinfo/2.1", views.nodeinfo, name="fediverse-nodeinfo"),
    path("ap/inbox", views.inbox, name="fediverse-inbox"),
    path("ap/outbox", views.outbox, name="fediverse-outbox"),
    path("ap/followers", views.followers, name="fediverse-followers"),
    path("ap/articles/<int:page_id>", views.article, name="fediverse-article"),
    path("ap/notes/<int:page_id>", views.note, name="fediverse-note"),
    path("ap/agenda", agenda_views.actor, name="fediverse-agenda"),
    path("ap/agenda/inbox", views.agenda_inbox, name="fediverse-agenda-inbox"),
    path("ap/agenda/outbox", agenda_views.outbox, name="fediverse-agenda-outbox"),
    path("ap/agenda/followers", agenda_views.followers, name="fediverse-agenda-followers"),
    path("ap/events/<int:page_id>", agenda_views.event, name="fediverse-event"),
]
