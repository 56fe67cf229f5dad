"""Reader-facing pages of giving: the support form, checkout, thank-you, authentication."""

from django.http import HttpResponse


def support(request):
    return HttpResponse("support: to be built")


def checkout(request):
    return HttpResponse("checkout: to be built")


def thanks(request, pk):
    return HttpResponse("thanks: to be built")


def authenticate(request, token):
    return HttpResponse("authenticate: to be built")


def schema(request):
    return HttpResponse("schema: to be built")
