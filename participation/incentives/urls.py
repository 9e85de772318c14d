"""Certificates: the public verification page and the holder's PDF."""

app_name = "incentives"

urlpatterns = []
