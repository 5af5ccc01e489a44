"""One module per notification channel (notify/registry.py loads them all)."""
