"""What a view tells the whole-page cache about its response.

The cache itself (a middleware, its keys and lifetimes) is ``site/page_cache.py``; the
views of ``pages`` and of the participation features only mark a response, so the mark
lives down here, where every layer may import it.
"""

from typing import TypeVar

from django.http import HttpResponseBase

Response = TypeVar("Response", bound=HttpResponseBase)

DYNAMIC = "dynamic"


def short_lived(response: Response) -> Response:
    """Mark ``response`` as showing numbers that change without publishing; returns it.

    Such pages (comment counts, live results) are kept ``HADAF_PAGE_CACHE_DYNAMIC_SECONDS``.
    """
    response.hadaf_page_cache = DYNAMIC  # type: ignore[attr-defined]
    return response
