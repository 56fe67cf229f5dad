from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from readerfund import views
from readerfund.lib.http import public

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("", include("contributions.urls")),
    path("", include("funding.urls")),
    path("", include("appeals.urls")),
    path("", include("reminders.urls")),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", public(sitemap), name="sitemap"),
    re_path(r"^media/(?P<path>.*)$", views.media, name="media"),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

urlpatterns += [path("", include(wagtail_urls))]
