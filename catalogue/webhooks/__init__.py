"""Webhooks: machines told of changes, by signed, retried, logged HTTP deliveries."""
