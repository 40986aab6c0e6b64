"""One module per check family; each confirms only on a canary unique to its request."""
