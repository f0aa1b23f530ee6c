"""Observation pages: the global pages (catalogue, indicator, territory portrait) and the contract's pages
(comparison of its QPVs, QPV portrait, indicator, import). Each module keeps its own routes."""
