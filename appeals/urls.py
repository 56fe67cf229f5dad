from django.urls import path

from appeals import views

app_name = "appeals"

urlpatterns = [
    path("appeals/config.json", views.config_json, name="config"),
    path("appeals/country", views.country, name="country"),
    path("api/appeals/events", views.events, name="events"),
]
