"""The register of data use: data-use agreements, their check, decisions, RDF and pages."""
