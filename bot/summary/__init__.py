"""Aggregated summaries for the coordinating department: the model, its labels and its renderers.

The computation from the database lives in `bot.summary.build.build_summary` (the semantics are documented
there, in one place); everything in this package works on the plain `Summary` it returns.
"""
