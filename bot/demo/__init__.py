"""`nhacviec demo`: one quarter played on an accelerated clock against the local Bot API sandbox."""
