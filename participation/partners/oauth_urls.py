"""OAuth 2 authorization-server URLs for partner sites (django-oauth-toolkit).

Only what the authorization-code flow with PKCE needs: the participant's consent page,
the token endpoint, revocation and introspection, and the server's metadata document.
Application and device-flow management views are not exposed: partner sites are
registered by editors in the admin.
"""

from django.urls import path
from oauth2_provider import views

app_name = "oauth2_provider"

urlpatterns = [
    path("authorize/", views.AuthorizationView.as_view(), name="authorize"),
    path("token/", views.TokenView.as_view(), name="token"),
    path("revoke_token/", views.RevokeTokenView.as_view(), name="revoke-token"),
    path("introspect/", views.IntrospectTokenView.as_view(), name="introspect"),
    path(
        ".well-known/oauth-authorization-server",
        views.OAuthServerMetadataView.as_view(),
        name="oauth-server-metadata",
    ),
]
