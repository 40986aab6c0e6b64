"""Web-server configuration files are found by name and read in the right dialect."""

from __future__ import annotations

import pytest

from auditor.filetypes import language_for
from auditor.scan.engine import Scanner

SCANNER = Scanner(secrets=False)


@pytest.mark.parametrize(("path", "language"), [
    ("nginx.conf", "nginx"),
    ("deploy/nginx/default.conf", "nginx"),
    ("site.nginx", "nginx"),
    ("public/.htaccess", "apache"),
    ("conf/httpd.conf", "apache"),
    ("docker/apache2/vhost.conf", "apache"),
    ("etc/sites-available/default", "webconf"),
    ("supervisord.conf", "webconf"),
    ("src/sites-available/readme.md", None),
    ("bin/run", None),
])
def test_server_config_file_kinds(path, language):
    assert language_for(path) == language


def rules(path: str, text: str) -> list[str]:
    return [f.rule_id for f in SCANNER.scan_source(path, text)]


def test_unknown_conf_dialect_is_read_from_its_text():
    apache = "<Directory /srv/www>\n    Options Indexes\n</Directory>\n"
    assert rules("deploy/site.conf", apache) == ["webserver.listing.off"]
    assert rules("deploy/site.conf", "server {\n  autoindex on;\n}\n") == ["webserver.listing.off"]


def test_conf_of_another_program_is_clean():
    # supervisord / a generic key=value file: neither dialect, nothing read
    assert rules("supervisord.conf", "[program:web]\ncommand=autoindex on;\nOptions Indexes\n") == []


def test_quoted_hash_is_not_a_comment_and_trailing_comment_is():
    text = 'location ~ "^/a#b" {\n    autoindex on; # listing for the mirror\n}\n'
    assert rules("nginx.conf", text) == ["webserver.listing.off"]
    assert rules("nginx.conf", 'location / {\n    # autoindex on;\n}\n') == []


def test_variable_path_is_not_judged():
    assert rules("nginx.conf", "location /x/ {\n    alias /var/log/$host/;\n}\n") == []
