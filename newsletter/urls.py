"""The subscriber's own addresses, outside the page tree: they work without a session and
whatever the animators call or move their "Infolettre" page."""

from django.urls import path

from newsletter import views

urlpatterns = [
    path("", views.subscribe, name="newsletter-subscribe"),
    path("envoye/", views.subscribed, name="newsletter-subscribed"),
    path("confirmer/<str:token>/", views.confirm, name="newsletter-confirm"),
    path("gerer/<str:token>/", views.manage, name="newsletter-manage"),
    path("gerer/<str:token>/donnees.json", views.download_data, name="newsletter-data"),
    path("desabonnement/<str:token>/", views.one_click_unsubscribe, name="newsletter-unsubscribe"),
]
