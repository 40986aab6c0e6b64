import pytest
from stack_helpers import by_name, dedent

from auditor.stack.detect import detect_stack
from auditor.stack.ecosystems.base import ManifestError
from auditor.stack.ecosystems.cargo import parse_cargo_lock, parse_cargo_toml
from auditor.stack.ecosystems.dotnet import parse_csproj, parse_packages_lock
from auditor.stack.ecosystems.php import parse_composer_json, parse_composer_lock

COMPOSER = dedent('''
    {
        "require": {
            "php": "^8.2",
            "ext-json": "*",
            "laravel/framework": "^11.9",
            "laravel/sanctum": "4.0.2"
        },
        "require-dev": {
            "phpunit/phpunit": "^11.0"
        }
    }
''')


def test_composer_json_and_lock(tree, ctx):
    deps = by_name(parse_composer_json(COMPOSER, "composer.json", ctx).dependencies)
    assert set(deps) == {"laravel/framework", "laravel/sanctum", "phpunit/phpunit"}
    assert deps["laravel/framework"].line == 5 and deps["laravel/sanctum"].version == "4.0.2"
    assert deps["phpunit/phpunit"].dev
    lock = dedent('''
        {
            "packages": [
                {"name": "laravel/framework", "version": "v11.9.2"},
                {"name": "acme/fork", "version": "dev-main"}
            ],
            "packages-dev": [
                {"name": "phpunit/phpunit", "version": "11.1.3"}
            ]
        }
    ''')
    parsed = parse_composer_lock(lock, "composer.lock", ctx)
    assert [(d.name, d.version, d.dev, d.line) for d in parsed.dependencies] == [
        ("laravel/framework", "11.9.2", False, 3), ("phpunit/phpunit", "11.1.3", True, 7)]
    project = detect_stack(tree({"composer.json": COMPOSER, "composer.lock": lock})).projects[0]
    assert project.version_of("laravel") == "11.9.2"
    assert {"eloquent", "sanctum", "php"} <= project.ids()


def test_cargo_toml_and_lock(ctx):
    toml = dedent('''
        [package]
        name = "svc"

        [dependencies]
        axum = "0.7.5"
        serde = { version = "=1.0.203", features = ["derive"] }
        local = { path = "../local" }
        tokio_renamed = { package = "tokio", version = "1.38" }

        [dev-dependencies.insta]
        version = "1.39"
    ''')
    deps = by_name(parse_cargo_toml(toml, "Cargo.toml", ctx).dependencies)
    assert set(deps) == {"axum", "serde", "tokio", "insta"}
    assert (deps["axum"].line, deps["axum"].version) == (5, None)  # "0.7.5" means ^0.7.5 in Cargo
    assert deps["serde"].version == "1.0.203" and deps["tokio"].spec == "1.38"
    assert deps["insta"].dev and deps["insta"].line == 10
    lock = dedent('''
        version = 3

        [[package]]
        name = "axum"
        version = "0.7.5"
        source = "registry+https://github.com/rust-lang/crates.io-index"

        [[package]]
        name = "svc"
        version = "0.1.0"
    ''')
    parsed = parse_cargo_lock(lock, "Cargo.lock", ctx)
    assert [(d.name, d.version, d.line) for d in parsed.dependencies] == [("axum", "0.7.5", 4)]
    with pytest.raises(ManifestError, match="invalid TOML"):
        parse_cargo_toml("[dependencies\n", "Cargo.toml", ctx)


CSPROJ = dedent('''
    <Project Sdk="Microsoft.NET.Sdk.Web">
      <PropertyGroup>
        <TargetFramework>net8.0</TargetFramework>
      </PropertyGroup>
      <ItemGroup>
        <PackageReference Include="Microsoft.EntityFrameworkCore" Version="8.0.6" />
        <PackageReference Include="Swashbuckle.AspNetCore">
          <Version>6.6.2</Version>
        </PackageReference>
        <PackageReference Include="Serilog" />
        <PackageReference Include="StyleCop.Analyzers" Version="1.1.118" PrivateAssets="all" />
      </ItemGroup>
    </Project>
''')


def test_csproj_web_sdk_central_versions_and_lock(tree, ctx):
    tree({"Directory.Packages.props": '<Project><ItemGroup><PackageVersion Include="Serilog" Version="4.0.0" />'
                                      "</ItemGroup></Project>"})
    parsed = parse_csproj(CSPROJ, "src/Api/Api.csproj", ctx)
    deps = by_name(parsed.dependencies)
    assert (deps["Microsoft.EntityFrameworkCore"].line, deps["Microsoft.EntityFrameworkCore"].version) == (6, "8.0.6")
    assert deps["Swashbuckle.AspNetCore"].version == "6.6.2"
    assert deps["Serilog"].version == "4.0.0"  # from Directory.Packages.props above the project
    assert deps["StyleCop.Analyzers"].dev
    assert ("aspnet-core", "framework") in {(c.id, c.kind) for c in parsed.components}
    lock = '{"version": 1, "dependencies": {"net8.0": {"Serilog": {"type": "Direct", "resolved": "4.0.0"}}}}'
    assert parse_packages_lock(lock, "packages.lock.json", ctx).lock.resolve("serilog", None) == "4.0.0"
    project = detect_stack(tree({"src/Api/Api.csproj": CSPROJ})).projects[0]
    assert project.path == "src/Api" and {"aspnet-core", "efcore", "csharp"} <= project.ids()
