"""Thin chat handlers, one module per feature: its steps (what the bot answers, platform-neutral) and its routes.

`ROUTES` is the one route table (handlers/routes.py): each connector builds its registrations from it, in this
order. Buttons with their own prefix (imp|, moi|) come before report's, which takes every other button; the
reply, edit and text routes last: they catch plain text.
"""

from handlers import (
    check,
    help,
    importing,
    invite,
    nudge,
    replies,
    report,
    request,
    start,
    summary,
    tasks,
    typed,
    web,
)
from handlers.routes import Route

FEATURES = (start, help, tasks, importing, invite, report, summary, check, nudge, request, web, replies, typed)
ROUTES: tuple[Route, ...] = tuple(route for feature in FEATURES for route in feature.ROUTES)
