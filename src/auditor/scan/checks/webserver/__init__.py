"""Web-server configuration files (nginx, Apache httpd): directory listing turned on, and
folders of logs or dot-files mapped into the served tree. Read as text: these dialects have
no grammar here, and the directives checked are single lines."""

LANGUAGES = frozenset({"nginx", "apache", "webconf"})
