"""Pages of the contracts app: the platform's home, the contract list and a contract's space (``home``), opening
and completing a contract (``lifecycle``), the terms of its structure (``structure``)."""
