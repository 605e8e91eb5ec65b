"""Full-text search over the catalogue: a whoosh index derived from the database."""
