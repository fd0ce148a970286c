from django.urls import path

from flags import views

app_name = "flags"

urlpatterns = [
    path("", views.flag_list, name="list"),
    path("<int:pk>/", views.flag_detail, name="detail"),
    path("<int:pk>/acknowledge/", views.flag_acknowledge, name="acknowledge"),
    path("<int:pk>/resolve/", views.flag_resolve, name="resolve"),
]
