"""Stack detection: manifests, lockfiles and file signatures -> one Stack per sub-project."""
