"""The space's sign-in and sign-out (its pages are Wagtail's, under the section's page)."""

from django.urls import path

from network_space import views

urlpatterns = [
    path("connexion/", views.sign_in, name="network-space-sign-in"),
    path("connexion/code/", views.code, name="network-space-code"),
    path("deconnexion/", views.sign_out, name="network-space-sign-out"),
]
