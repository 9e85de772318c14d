"""The published opinion map of a call on a page of its own: /statements/<call>/map/.

Apart from ``views`` (the voting block) so the two can change independently; the map's
markup is ``participation/opinions/map.html``, which the statements page and the call's
page include too. Nothing is shown before an editor publishes a map: 404.
"""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import maps
from .views import call_for


@require_GET
def opinion_map(request, call_key):
    """The call's published opinion map, or 404 while none is published."""
    call = call_for(request, call_key)
    if maps.published(call_key) is None:
        raise Http404
    return render(request, "participation/opinions/map_page.html", {"page": call, "call": call})
