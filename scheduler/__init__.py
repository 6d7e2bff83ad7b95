"""The clock of the product: which nudges and summaries are due, the outbox that makes each happen exactly once,
and the APScheduler wiring.

- `planner`: pure "what is due when" from plain facts (no database, no clock reading).
- `planning`: turns the plan into outbox rows (storage.outbox) for the days ahead, one row per intended message.
- `render`: what a row says, decided at send time (a unit that reported everything is dropped, with the reason).
- `dispatcher`: claim -> render -> send through the row's platform notifier, paced -> mark; crash- and race-safe.
- `notifier`: the platform-neutral sending protocol and its neutral errors.
- `jobs`: APScheduler jobs rebuilt from the database at start ("plan ahead" and "dispatch due").
"""
