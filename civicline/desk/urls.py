from django.urls import path, re_path

from civicline.desk import live, phone, views

urlpatterns = [
    path("", views.home, name="home"),
    path("desk/", views.desk, name="desk"),
    path("desk/caller/", views.caller, name="caller"),
    path("categories/", views.categories, name="categories"),
    path("categories/questions/", views.category_questions, name="category-questions"),
    path("work/", views.workstation, name="workstation"),
    path("supervisor/", views.supervisor, name="supervisor"),
    path("cases/<str:reference>/", views.case_detail, name="case"),
    path("cases/<str:reference>/timeline/", views.case_timeline, name="case-timeline"),
    path("cases/<str:reference>/status/", views.case_status, name="case-status"),
    path("cases/<str:reference>/note/", views.case_note, name="case-note"),
    path("cases/<str:reference>/transfer/", views.case_transfer_view, name="case-transfer"),
    path("cases/<str:reference>/wait/", views.case_wait, name="case-wait"),
    path("cases/<str:reference>/photos/", views.case_photo, name="case-photo"),
    path("cases/<str:reference>/dispatch/", views.case_dispatch, name="workorder-dispatch"),
    path("cases/<str:reference>/merge/", views.case_merge, name="case-merge"),
    path(
        "cases/<str:reference>/photos/<uuid:key>.jpg",
        views.case_photo_file,
        {"original": False},
        name="case-photo-copy",
    ),
    path(
        "cases/<str:reference>/photos/<uuid:key>/original/",
        views.case_photo_file,
        {"original": True},
        name="case-photo-original",
    ),
    path("chase/", views.chase, name="chase"),
    path("callbacks/<int:task_id>/", views.callback_done, name="callback-done"),
    path("live/", live.live_events, name="live"),
    path("desk/phone/", phone.panel, name="phone-panel"),
    re_path(r"^desk/phone/(?P<action>login|logout|pause|unpause)/$", phone.seat, name="phone-seat"),
    path("desk/phone-transfer/", phone.transfer, name="phone-transfer"),
    path("desk/phone-dial/", phone.dial, name="phone-dial"),
    path("desk/missed/<int:callback_id>/", phone.callback_done, name="missed-call-done"),
    path("calls/", phone.call_log, name="call-log"),
]
