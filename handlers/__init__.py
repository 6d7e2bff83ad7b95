"""Thin chat handlers, one module per feature; each exposes `register(app)`."""

from handlers import invite, replies, report, start, tasks

FEATURES = (start, tasks, report, invite, replies)  # replies last: it catches plain text
