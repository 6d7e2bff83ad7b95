"""Platform adapters: turn a platform's updates into neutral events and neutral messages back."""
