from django.urls import path

from civicline.portal import faq, problems, views

urlpatterns = [
    path("", views.home, name="portal-home"),
    path("report/", views.report, name="portal-report"),
    path("report/questions/", views.questions, name="portal-questions"),
    path("report/nearby/", views.nearby, name="portal-nearby"),
    path("report/<str:reference>/join/", views.join, name="portal-join"),
    path("track/", views.track_find, name="portal-track-find"),
    path("track/<str:reference>/<str:code>/", views.track, name="portal-track"),
    path("problems/", problems.problem_list, name="portal-problems"),
    path("problems.geojson", problems.problem_feed, name="portal-problems-geojson"),
    path("problems/<str:reference>/", problems.problem_detail, name="portal-problem"),
    path("faq/", faq.faq, name="portal-faq"),
    path("faq/<int:pk>/", faq.faq_article, name="portal-faq-article"),
]
