"""Demo steps contributed by the apps above ``contracts`` (see ``contrat_ville.demo.services.DEMO_STEPS``)."""
