from django.urls import path

app_name = "concepts"
urlpatterns = []
