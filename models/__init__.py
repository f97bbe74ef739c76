"""Tortoise ORM models, one module per aggregate. States are ``str`` enums."""
