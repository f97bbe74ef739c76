"""LO cycles (one per unit, fiscal year and indicator) and their steps: `types` and `mutations`."""
