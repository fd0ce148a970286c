from django.urls import path

from home import views

app_name = "home"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("import/", views.records_import, name="import"),
]
