"""problemspace: a customer-discovery workbench for product managers."""

__version__ = "0.1.0"
