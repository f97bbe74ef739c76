"""Progress reports (step 11) and the final report (step 16): `types` and `mutations`."""
