"""The server-error page, and the 503 page when the database cannot be reached.

Django calls ``server_error`` inside the ``except`` block of the failed request, so the
exception is at hand. A database that is down (or restarting) is not a bug: the person gets
HTTP 503 with ``Retry-After`` and a page that says their data is safe — for a respondent, that
their answers were not saved and the draft kept so far is still there. Neither page touches
the database, the session or the user, which may be what failed.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.utils.cache import add_never_cache_headers

UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def database_unavailable(exception: BaseException | None) -> bool:
    return isinstance(exception, UNAVAILABLE)


def server_error(request, template_name="500.html"):
    if database_unavailable(sys.exc_info()[1]):
        answering = request.path.startswith("/experiences/answer/")
        body = loader.get_template("503.html").render({"answering": answering})
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        add_never_cache_headers(response)
        return response
    return HttpResponseServerError(loader.get_template(template_name).render())
