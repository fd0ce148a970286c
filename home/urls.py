from django.urls import path

from home import overview_views, views

app_name = "home"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("import/", views.records_import, name="import"),
    path("overview/", overview_views.overview, name="overview"),
]
