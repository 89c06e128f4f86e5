from django.urls import path

from .views import staff

app_name = "surveys"

urlpatterns = [
    path("", staff.link_list, name="links"),
    path("links/new/", staff.link_create, name="link_create"),
    path("links/<int:pk>/rotate/", staff.link_rotate, name="link_rotate"),
    path("links/<int:pk>/toggle/", staff.link_toggle, name="link_toggle"),
    path("links/<int:pk>/qr.png", staff.link_qr_png, name="link_qr_png"),
    path("links/<int:pk>/qr.svg", staff.link_qr_svg, name="link_qr_svg"),
    path("links/<int:pk>/print/", staff.link_print, name="link_print"),
    path("invitations/", staff.invitation_list, name="invitations"),
    path("follow-ups/", staff.follow_up_list, name="follow_ups"),
    path("follow-ups/<int:pk>/", staff.follow_up_detail, name="follow_up"),
]
