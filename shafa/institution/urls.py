app_name = "institution"
urlpatterns: list = []
