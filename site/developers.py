"""The developers' API page (Persian and English)."""

urlpatterns = []
