"""One module per source format; ``contrat_ville.territories.services`` is the public entry point."""
