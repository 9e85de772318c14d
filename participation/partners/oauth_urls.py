"""OAuth 2 authorization-server URLs for partner sites."""

urlpatterns = []
