"""The works registry (ทะเบียนผลงาน): `types` and `mutations`."""
