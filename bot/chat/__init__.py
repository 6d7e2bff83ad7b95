"""The platform-neutral conversation: plain events in, plain outgoing messages out (no Telegram here)."""
