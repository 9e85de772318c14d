"""URLs. Persian (the default language) has no prefix; English lives under /en/.

Admin, documents, health and static-like endpoints are outside the language
patterns: the admin follows each editor's own language preference.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from pages.search import search
from pages.untranslated import untranslated
from site import health
from site.api import api_router
from site.v3_api import v3_api

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("api/v2/", api_router.urls),
    path("api/v3/", v3_api.urls),
    # The project's own endpoints (partner submissions), with their OpenAPI document.
    path("api/hadaf/v1/", include("participation.partners.urls")),
    path("oauth/", include("participation.partners.oauth_urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("search/", search, name="search"),
    path("feeds/", include("pages.feed_urls")),
    path("developers/", include("site.developers")),
    # Accounts: our profile and confirmation page first, then allauth's views.
    path("accounts/", include("participation.people.urls")),
    path("accounts/", include("allauth.urls")),
    path("ideas/", include("participation.ideas.urls")),
    path("statements/", include("participation.opinions.urls")),
    path("certificates/", include("participation.incentives.urls")),
    path("organizations/", include("participation.organizations.urls")),
    path("dashboard/", include("participation.dashboard.urls")),
    path("commitments/", include("participation.impact.urls")),
    path("privacy/", include("participation.privacy.urls")),
    # The language switcher's answer for a page without a translation (pages/untranslated.py).
    path("untranslated/<int:page_id>/", untranslated, name="untranslated"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

# allauth's rate limits (sign-up, password reset) answer with this page.
handler429 = "participation.people.throttling.too_many_requests"
