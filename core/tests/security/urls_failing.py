"""The project's URLs and one view that fails, to see what a 500 page carries."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from mentoring.urls import urlpatterns as project_urlpatterns


def fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [*project_urlpatterns, path("fails/", fails, name="fails")]
