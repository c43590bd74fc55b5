"""The domain of selfeval: numbers, indicator systems, evaluations, scoring, packages, storage."""

# The program's version: the one place it is written (pyproject.toml reads it from here).
__version__ = "0.1.0"
