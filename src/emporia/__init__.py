"""Emporia: one open e-commerce platform for every operating model."""

__version__ = "0.1.0"
