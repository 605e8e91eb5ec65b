"""Harvesting: taking in the catalogues the administration already has."""
