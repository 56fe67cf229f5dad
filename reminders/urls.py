from django.urls import path, re_path

from readerfund.lib.editions import prefixed
from reminders import views

app_name = "reminders"

urlpatterns = [
    prefixed(
        path("reminders/new/", views.new, name="new"),
        re_path(
            r"^reminders/unsubscribe/(?P<code>[A-Za-z0-9_-]{1,64})$",
            views.unsubscribe,
            name="unsubscribe",
        ),
        re_path(
            r"^reminders/confirm/(?P<code>[A-Za-z0-9_-]{1,64})$", views.confirm, name="confirm"
        ),
    ),
    path("api/reminders", views.api_create, name="api-create"),
]
