"""Thin chat handlers, one module per feature; each exposes `register(app)`."""

from handlers import check, importing, invite, nudge, replies, report, request, start, summary, tasks, web

# Buttons with their own prefix (imp|, moi|) before report's, which takes every other button; replies last: it
# catches plain text.
FEATURES = (start, tasks, importing, invite, report, summary, check, nudge, request, web, replies)
