"""Pieces every controller shares: who is asking, and how errors are answered."""
