from django.urls import path

from fazhi.hotline import hotspot_views, views

app_name = "hotline"

urlpatterns = [
    path("", views.ticket_list, name="list"),
    path("intake/", views.intake, name="intake"),
    path("intake/caller-history/", views.caller_history, name="caller_history"),
    path("intake/assist/", views.assist, name="assist"),
    path("queue/", views.queue, name="queue"),
    path("hotspots/", hotspot_views.hotspots, name="hotspots"),
    path("track/", views.track, name="track"),
    path("track/rate/", views.rate, name="rate"),
    path("<int:pk>/", views.ticket_detail, name="detail"),
    path("<int:pk>/phone/", views.reveal_phone, name="reveal_phone"),
    path("<int:pk>/<slug:action>/", views.ticket_action, name="action"),
]
