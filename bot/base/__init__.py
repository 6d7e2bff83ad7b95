"""Base values every layer may import: the clock, user-facing errors, Vietnamese text helpers, messages, the
neutral chat shapes (Incoming, Outgoing) and the shape of a reporting period.

Nothing here imports anything of the project outside `bot.base`, so storage (the bottom layer) can use these
without reaching up into the domain or the wiring.
"""
