from django.urls import path

from relationships import meeting_views, views

app_name = "relationships"

urlpatterns = [
    path("my/mentees/", views.my_mentees, name="my_mentees"),
    path("relationships/<int:pk>/", views.relationship_detail, name="detail"),
]

# Meetings: logged on the mentor's phone (relationships.meeting_views).
urlpatterns += [
    path("relationships/<int:pk>/meetings/", meeting_views.meeting_list, name="meetings"),
    path("relationships/<int:pk>/meetings/new/", meeting_views.meeting_new, name="meeting_new"),
]
