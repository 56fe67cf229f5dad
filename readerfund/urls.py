from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from newsroom.sitemap import sitemap
from readerfund import api, metrics, staff, views
from readerfund.lib.editions import prefixed
from readerfund.lib.http import public, tagged

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("", include("contributions.urls")),
    path("", include("funding.urls")),
    path("", include("appeals.urls")),
    path("", include("reminders.urls")),
    path("", include("newsroom.urls")),
    path("api/schema", api.schema, name="api-schema"),
    # Nothing under /api/ or /webhooks/ falls through to the site's pages: JSON, always.
    re_path(r"^(?:api|webhooks)/", api.not_found),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    # Each edition's own sitemap: /sitemap.xml, /ru/sitemap.xml (robots.txt names them all).
    prefixed(path("sitemap.xml", tagged(public(sitemap), "sitemap"), name="sitemap")),
    re_path(r"^media/(?P<path>.*)$", views.media, name="media"),
    # The second factor's pages come before the admin's (readerfund/staff.py). Django's own
    # admin is not mounted: it would be a second way in, showing users and task results.
    path("admin/2fa/", include(staff)),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

# The editions' pages: the default one's at the root, each other's under its language.
urlpatterns += [prefixed(path("", include(wagtail_urls)))]
