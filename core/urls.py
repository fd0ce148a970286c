from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("no-role/", views.no_role, name="no_role"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    # The installable app: at the root, where browsers and the service worker's scope need them.
    path("favicon.ico", views.favicon, name="favicon"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("offline/", views.offline, name="offline"),
]
