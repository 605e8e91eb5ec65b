"""The dataset form: its declaration, the document <-> form mapping and the page model."""
