"""Judges of one generated sample: auditor's own static checks (static.py), peer analyzers
when installed (peers.py), and the task's functional check (functional.py)."""
