from django.urls import path

from civicline.open311 import openapi, views

# Every endpoint answers as .json or .xml; another extension gets Open311's 404.
urlpatterns = [
    path("openapi.json", openapi.openapi, name="open311-openapi"),
    path("discovery.<str:fmt>", views.discovery, name="open311-discovery"),
    path("services.<str:fmt>", views.service_list, name="open311-services"),
    path("services/<str:code>.<str:fmt>", views.service_definition, name="open311-service"),
    path("requests.<str:fmt>", views.request_list, name="open311-requests"),
    path("requests/<str:reference>.<str:fmt>", views.request_detail, name="open311-request"),
    path("servicerequestupdates.<str:fmt>", views.request_updates, name="open311-updates"),
    path("tokens/<str:token>.<str:fmt>", views.token, name="open311-token"),
]
