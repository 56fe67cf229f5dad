from django.urls import path

from contributions import api, views

app_name = "contributions"

urlpatterns = [
    path("support/", views.support, name="support"),
    path("support/checkout/", views.checkout, name="checkout"),
    path("support/thanks/<uuid:pk>/", views.thanks, name="thanks"),
    path("support/authenticate/<str:token>/", views.authenticate, name="authenticate"),
    path("support/manage/", views.manage, name="manage"),
    path("support/manage/<str:token>/", views.manage_contributions, name="manage-contributions"),
    path("support/manage/<str:token>/stop/<uuid:pk>/", views.manage_stop, name="manage-stop"),
    path("support/manage/<str:token>/erase/", views.manage_erase, name="manage-erase"),
    path("api/checkout", api.checkout, name="api-checkout"),
    path("api/contributions/<uuid:pk>/complete", api.complete, name="api-complete"),
    path("api/contributions/<uuid:pk>/status", api.status, name="api-status"),
    path("api/payments/authenticate", views.authenticate_payment, name="api-authenticate"),
    path("api/schema", views.schema, name="api-schema"),
    path("webhooks/<slug:provider_name>", api.webhook, name="webhook"),
]
