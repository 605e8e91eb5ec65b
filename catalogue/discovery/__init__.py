"""Being found: schema.org JSON-LD, sitemaps, robots.txt, OpenSearch and Atom feeds."""
