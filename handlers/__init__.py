"""Thin chat handlers, one module per feature; each exposes `register(app)`."""

from handlers import invite, replies, report, start, summary, tasks

FEATURES = (start, tasks, report, summary, invite, replies)  # replies last: it catches plain text
