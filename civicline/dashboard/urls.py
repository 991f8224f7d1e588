from django.urls import path

from civicline.dashboard import planner, reports, views, wallboard

urlpatterns = [
    path("map/", views.case_map, name="case-map"),
    path("map/points.json", views.case_map_points, name="case-map-points"),
    path("map/cases/<str:reference>/", views.case_map_popup, name="case-map-popup"),
    path("wallboard/", wallboard.page, name="wallboard"),
    path("wallboard/board/", wallboard.board, name="wallboard-board"),
    path("planner/", planner.staffing_planner, name="staffing-planner"),
    path("calls/", reports.call_reports, name="call-reports"),
]
