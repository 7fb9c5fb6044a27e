"""Identity: users, passwords, bearer tokens, login throttling and who may see what."""
