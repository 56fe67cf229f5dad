from django.urls import path, re_path

from newsroom import lite, views
from readerfund.lib.editions import prefixed

app_name = "newsroom"

urlpatterns = [
    prefixed(
        path("lite/", lite.lite_page, name="lite-home"),
        path("lite/<path:path>", lite.lite_page, name="lite"),
        re_path(r"^(?P<path>(?:[\w-]+/)*)feed\.json$", views.json_feed_view, name="json-feed"),
    )
]
