"""Ruby and Rails checks (detector prefix `rb.`): taint flows, Rails patterns,
configuration files, ERB views and a project-level throttle check."""
