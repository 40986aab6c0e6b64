"""`auditor bench`: measure how much the rules help a model write secure code.

tasks (data) x conditions (system prompts) x models -> provider -> store -> extracted files in
the task's scaffold -> judges (static, peers, functional) -> statistics -> summary and report.
"""
