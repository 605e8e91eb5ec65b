"""DCAT-AP 3.0.1: the RDF twin of every dataset, the harvestable feed and its validation."""
