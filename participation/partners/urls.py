"""The partner API's URLs (participation/partners)."""

urlpatterns = []
