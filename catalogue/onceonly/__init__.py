"""Once only: the map of base registers and identifiers, and the public services\x27 notices."""
