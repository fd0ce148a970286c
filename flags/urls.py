from django.urls import path

from flags import rule_views, views

app_name = "flags"

urlpatterns = [
    path("", views.flag_list, name="list"),
    path("<int:pk>/", views.flag_detail, name="detail"),
    path("<int:pk>/acknowledge/", views.flag_acknowledge, name="acknowledge"),
    path("<int:pk>/resolve/", views.flag_resolve, name="resolve"),
]

# How useful each rule is (flags/rule_views.py).
urlpatterns += [
    path("rules/", rule_views.rule_list, name="rules"),
    path("rules/<slug:kind>/", rule_views.rule_detail, name="rule"),
]
