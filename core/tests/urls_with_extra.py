"""The project's URLconf plus one URL that has no row in the permission matrix."""

from django.urls import path

from core.views import healthz
from mentoring.urls import urlpatterns as project_urlpatterns

urlpatterns = [*project_urlpatterns, path("unlisted/", healthz, name="unlisted")]
