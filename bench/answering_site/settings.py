"""The app's own settings, unchanged, with two reference views added (``urls``)."""

from dialogues.settings import *  # noqa: F403

ROOT_URLCONF = "bench.answering_site.urls"
