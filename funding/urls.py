from django.urls import path

from funding import views

app_name = "funding"

urlpatterns = [
    path("funding.json", views.funding_json, name="json"),
]
