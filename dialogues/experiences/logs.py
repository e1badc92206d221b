"""Keep personal links out of the logs.

Django logs the path of every refused request ("Forbidden (CSRF cookie not set.): /…") and of
every 4xx/5xx; for the questionnaire that path holds the respondent's personal link. This
filter, on the site's log handler, replaces the token with "…" in the message and its
arguments, whichever logger wrote it.
"""

import logging
import re

_LINK = re.compile(r"(/experiences/answer/)(?!thanks/)[^/\s?#\"']+")


def hide_links(value):
    if isinstance(value, str):
        return _LINK.sub(r"\1…", value)
    return value


class HideAnswerLinks(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = hide_links(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(hide_links(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: hide_links(arg) for key, arg in record.args.items()}
        return True
