"""Plans (SOP step 7) and their approval (step 8): `types` (plans, activities, progress
updates, events and the queries), `mutations` (drafting, transitions, progress)."""
