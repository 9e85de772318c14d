"""The statements block of a call, outside the page tree: /statements/<call>/ (/en/… too)."""

from django.urls import path

from . import views

app_name = "opinions"

urlpatterns = [
    path("<uuid:call_key>/", views.statements, name="statements"),
    path("<uuid:call_key>/vote/", views.vote, name="vote"),
    path("<uuid:call_key>/add/", views.add, name="add"),
]

# The published opinion map (participation/opinions/map_views.py).
from . import map_views  # noqa: E402

urlpatterns += [path("<uuid:call_key>/map/", map_views.opinion_map, name="map")]
