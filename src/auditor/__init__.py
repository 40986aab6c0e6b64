"""auditor: make AI-written code secure (prevention, detection, proof)."""

__version__ = "0.1.0"
