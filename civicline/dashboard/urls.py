from django.urls import path

from civicline.dashboard import views

urlpatterns = [
    path("map/", views.case_map, name="case-map"),
    path("map/points.json", views.case_map_points, name="case-map-points"),
    path("map/cases/<str:reference>/", views.case_map_popup, name="case-map-popup"),
]
