"""``/api/v1``: one module per feature; every route's ``name`` is its operation in ``auth.access``."""
