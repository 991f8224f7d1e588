from django.urls import path

from civicline.workorders import views

urlpatterns = [
    path("", views.field_list, name="field"),
    path("<int:order_id>/", views.field_order, name="field-order"),
    path("<int:order_id>/order.pdf", views.field_order_pdf, name="field-order-pdf"),
    path("<int:order_id>/start/", views.field_start, name="field-start"),
    path("<int:order_id>/done/", views.field_done, name="field-done"),
    path("<int:order_id>/cannot/", views.field_cannot_do, name="field-cannot-do"),
]
