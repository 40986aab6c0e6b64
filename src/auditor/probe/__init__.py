"""Dynamic probes of a running app: routes, safety layer, check families, evidence."""
