from django.urls import path

from appeals import views
from readerfund.lib.editions import prefixed

app_name = "appeals"

urlpatterns = [
    # Each edition asks its own appeals, in its words.
    prefixed(path("appeals/config.json", views.config_json, name="config")),
    path("appeals/country", views.country, name="country"),
    path("api/appeals/events", views.events, name="events"),
]
