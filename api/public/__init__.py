"""The registry's public face, no sign-in: works' landing pages, the public list and search,
the sitemap and OAI-PMH. Which works and fields are public is decided in
services/public_works.py; this package only speaks HTTP and renders."""
