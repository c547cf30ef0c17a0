"""fastapi-lint: static analysis for FastAPI code bases."""

__version__ = "0.1.0"
