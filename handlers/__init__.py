"""Thin chat handlers, one module per feature; each exposes `register(app)`."""

from handlers import importing, invite, replies, report, start, summary, tasks

FEATURES = (start, tasks, importing, report, summary, invite, replies)  # replies last: it catches plain text
