"""The app's URLs plus the two ceilings the issue compares with, under ``bench/``.

- ``bench/trivial/``: a short ``HttpResponse`` and nothing else;
- ``bench/insert/``: one ``INSERT`` into ``bench_hit``, a table that bench/answering.py creates
  with plain SQL (no model, so the app's migrations never see it), in autocommit: one commit.

Both go through the app's full middleware stack, like the questionnaire.
"""

from django.db import connection
from django.http import HttpResponse
from django.urls import include, path

# The app's error pages (503 while the database is out of reach), as under its own URLs.
from dialogues.urls import handler500  # noqa: F401

BENCH_TABLE_SQL = (
    "CREATE TABLE bench_hit (id bigserial PRIMARY KEY, "
    "at timestamptz NOT NULL DEFAULT now(), note text NOT NULL)"
)


def trivial(request):
    return HttpResponse("ok\n", content_type="text/plain")


def one_insert(request):
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_hit (note) VALUES (%s)", ["hit"])
    return HttpResponse("ok\n", content_type="text/plain")


urlpatterns = [
    path("bench/trivial/", trivial),
    path("bench/insert/", one_insert),
    path("", include("dialogues.urls")),
]
