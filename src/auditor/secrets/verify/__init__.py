"""Opt-in liveness checks (`auditor secrets --verify`): ask the provider that issued a key
whether it still works. One module per provider; `runner.verify_matches` drives them."""
