import pytest
from stack_helpers import by_name, dedent

from auditor.stack.detect import detect_stack
from auditor.stack.ecosystems.base import ManifestError
from auditor.stack.ecosystems.ruby import parse_gemfile, parse_gemfile_lock

GEMFILE = dedent('''
    source "https://rubygems.org"
    ruby "3.3.1"

    gem "rails", "~> 7.1.3", ">= 7.1.3.2"
    gem 'pg', '1.5.6' # exact
    gem "bootsnap", require: false
    gem "internal", path: "../internal"
    gem "rspec-rails", group: :test

    group :development, :test do
      gem "debug", platforms: %i[ mri windows ]
      platforms :mri do
        gem "byebug"
      end
    end

    gem "devise"
''')

LOCK = dedent('''
    GIT
      remote: https://github.com/acme/thing.git
      revision: abc123
      specs:
        thing (0.1.0)

    GEM
      remote: https://rubygems.org/
      specs:
        actionpack (7.1.3.2)
          rack (>= 2.2.4)
        nokogiri (1.16.5-x86_64-linux)
          racc (~> 1.4)
        nokogiri (1.16.5-arm64-darwin)
          racc (~> 1.4)
        pg (1.5.6)
        rails (7.1.3.2)
          actionpack (= 7.1.3.2)

    PLATFORMS
      arm64-darwin
      x86_64-linux

    DEPENDENCIES
      pg (= 1.5.6)
      rails (~> 7.1.3, >= 7.1.3.2)
      thing!

    BUNDLED WITH
       2.5.9
''')


def test_gemfile_versions_groups_lines(ctx):
    deps = by_name(parse_gemfile(GEMFILE, "Gemfile", ctx).dependencies)
    assert set(deps) == {"rails", "pg", "bootsnap", "rspec-rails", "debug", "byebug", "devise"}
    assert (deps["rails"].line, deps["rails"].spec, deps["rails"].version) == (4, "~> 7.1.3, >= 7.1.3.2", None)
    assert deps["pg"].version == "1.5.6" and deps["pg"].line == 5  # a bare version pins exactly
    assert deps["rspec-rails"].dev and deps["debug"].dev and deps["byebug"].dev
    assert not deps["devise"].dev and not deps["bootsnap"].dev  # after the group's `end`


def test_gemfile_lock_specs_platforms_and_sections(ctx):
    parsed = parse_gemfile_lock(LOCK, "Gemfile.lock", ctx)
    assert parsed.lock.resolve("nokogiri", None) == "1.16.5"
    assert parsed.lock.resolve("thing", None) is None  # from git, not rubygems.org
    assert [(d.name, d.version, d.line) for d in parsed.dependencies] == [
        ("actionpack", "7.1.3.2", 10), ("nokogiri", "1.16.5", 12), ("pg", "1.5.6", 16), ("rails", "7.1.3.2", 17)]
    with pytest.raises(ManifestError, match="no sections"):
        parse_gemfile_lock("    rails (7.1.0)\n", "Gemfile.lock", ctx)


def test_rails_detected_with_activerecord_and_lock_versions(tree):
    project = detect_stack(tree({"Gemfile": GEMFILE, "Gemfile.lock": LOCK})).projects[0]
    assert project.version_of("rails") == "7.1.3.2"
    assert "activerecord" in project.ids() and "devise" in project.ids()
    assert "ruby" in project.languages
    actionpack = next(d for d in project.dependencies if d.name == "actionpack")
    assert not actionpack.direct and actionpack.path == "Gemfile.lock"
