"""Hard-coded secrets: detectors as data, redaction, optional liveness verification."""
