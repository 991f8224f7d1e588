from django.urls import path

from civicline.knowledge import views

urlpatterns = [
    path("", views.knowledge_home, name="knowledge"),
    path("suggestions/", views.suggestions, name="knowledge-suggestions"),
    path("asked/", views.asked, name="knowledge-asked"),
    path("new/", views.article_edit, name="knowledge-new"),
    path("<int:pk>/", views.article_detail, name="knowledge-article"),
    path("<int:pk>/edit/", views.article_edit, name="knowledge-edit"),
    path("<int:pk>/answered/", views.answered, name="knowledge-answered"),
    path(
        "<int:pk>/versions/<int:number>/restore/", views.version_restore, name="knowledge-restore"
    ),  # fmt: skip
    path("scripts/<int:pk>/", views.script_detail, name="knowledge-script"),
]
