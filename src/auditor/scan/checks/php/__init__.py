"""PHP and Laravel checks (detector prefix `php.`): taint flows, Laravel patterns,
configuration files and Blade templates."""
