"""The rules of LO Hub. Services never import from ``schema``; they take keyword arguments and an
``Actor``, and raise ``DomainError`` (user-facing) or ``AuthError`` (top-level)."""
