"""A bench-only site for bench/answering.py: the real app plus two reference views.

Never installed or imported by the app; ``bench.answering_site.settings`` extends
``dialogues.settings`` with nothing but another URL configuration.
"""
