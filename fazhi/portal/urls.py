from django.urls import path

from fazhi.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("submit/", views.submit, name="submit"),
    path("submit/receipt/", views.receipt, name="receipt"),
    path("options/<slug:kind>/", views.options, name="options"),
    path("track/", views.track, name="track"),
    path("track/rate/", views.rate, name="rate"),
    path("answers/", views.answers, name="answers"),
    path("answers/<int:pk>/", views.answer, name="answer"),
]
