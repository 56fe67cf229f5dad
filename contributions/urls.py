from django.urls import path

from contributions import api, manage_views, views
from readerfund.lib.editions import prefixed

app_name = "contributions"

manage = "support/manage"
# The donor's pages in every edition (/ru/support/…: the gift keeps the page's language); the
# API and webhooks once, unprefixed.
pages = [
    path("support/", views.support, name="support"),
    path("support/checkout/", views.checkout, name="checkout"),
    path("support/give/", views.give, name="give"),
    path("support/thanks/<uuid:pk>/", views.thanks, name="thanks"),
    path("support/receipt/<uuid:pk>/", views.receipt, name="receipt"),
    path("support/authenticate/<str:token>/", views.authenticate, name="authenticate"),
    path(f"{manage}/", manage_views.manage, name="manage"),
    # Reached with the cookie its link set (contributions.manage): no token in these URLs.
    path(
        f"{manage}/contributions/",
        manage_views.manage_contributions,
        name="manage-contributions",
    ),
    path(f"{manage}/stop/<uuid:pk>/", manage_views.manage_stop, name="manage-stop"),
    path(f"{manage}/resume/<uuid:pk>/", manage_views.manage_resume, name="manage-resume"),
    path(f"{manage}/change/<uuid:pk>/", manage_views.manage_change, name="manage-change"),
    path(f"{manage}/card/<uuid:pk>/", manage_views.manage_card, name="manage-card"),
    path(
        f"{manage}/card/<uuid:pk>/begin/",
        manage_views.manage_card_begin,
        name="manage-card-begin",
    ),
    path(f"{manage}/receipts/", manage_views.manage_receipts, name="manage-receipts"),
    path(f"{manage}/receipts/<int:pk>/", manage_views.manage_receipt, name="manage-receipt"),
    path(f"{manage}/statement/<int:year>/", manage_views.manage_statement, name="manage-statement"),
    path(
        f"{manage}/statement/<int:year>.pdf",
        manage_views.manage_statement_pdf,
        name="manage-statement-pdf",
    ),
    path(f"{manage}/erase/", manage_views.manage_erase, name="manage-erase"),
    path(f"{manage}/leave/", manage_views.manage_leave, name="manage-leave"),
    # The emailed link: sets the cookie and redirects at once. Last: a token is any string.
    path(f"{manage}/<str:token>/", manage_views.manage_open, name="manage-open"),
]
urlpatterns = [
    prefixed(*pages),
    path("api/checkout", api.checkout, name="api-checkout"),
    path("api/contributions/<uuid:pk>/complete", api.complete, name="api-complete"),
    path("api/contributions/<uuid:pk>/status", api.status, name="api-status"),
    path("api/payments/authenticate", views.authenticate_payment, name="api-authenticate"),
    path("webhooks/<slug:provider_name>", api.webhook, name="webhook"),
]
