# Placeholder until the import views land.
from django.http import HttpResponse


def index(request):
    return HttpResponse(status=501)


example = detail = confirm = discard = index
