from django.urls import path

from home import import_examples, overview_views, views

app_name = "home"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("import/", views.records_import, name="import"),
    path("import/examples/<str:kind>.csv", import_examples.import_example, name="import_example"),
    path("import/<int:pk>/", views.import_job_detail, name="import_job"),
    path("import/<int:pk>/progress/", views.import_job_progress, name="import_job_progress"),
    path("import/<int:pk>/go/", views.import_job_go, name="import_job_go"),
    path("overview/", overview_views.overview, name="overview"),
]
