"""Thin chat handlers, one module per feature; each exposes `register(app)`."""

from handlers import importing, invite, nudge, replies, report, request, start, summary, tasks, web

# replies last: it catches plain text
FEATURES = (start, tasks, importing, report, summary, invite, nudge, request, web, replies)
