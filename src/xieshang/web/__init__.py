"""The web adapter: the only package that imports FastAPI and Starlette."""
