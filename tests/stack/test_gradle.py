from stack_helpers import by_name, dedent

from auditor.stack.detect import detect_stack
from auditor.stack.ecosystems.gradle import parse_gradle

GROOVY = dedent('''
    plugins {
        id 'java'
        id 'org.springframework.boot' version '3.2.5'
    }

    ext {
        jjwtVersion = '0.12.5'
    }

    dependencies {
        implementation 'org.springframework.boot:spring-boot-starter-web'
        implementation "io.jsonwebtoken:jjwt-api:${jjwtVersion}"
        implementation group: 'com.google.guava', name: 'guava', version: '33.2.0-jre'
        // implementation 'commented:out:1.0'
        /* implementation 'also:commented:1.0' */
        runtimeOnly 'org.postgresql:postgresql:42.7.3'
        testImplementation 'org.springframework.boot:spring-boot-starter-test'
        implementation project(':core')
        implementation 'com.example:dynamic:1.+'
    }
''')


def test_groovy_forms_variables_lines_and_boot_plugin(ctx):
    parsed = parse_gradle(GROOVY, "build.gradle", ctx)
    deps = by_name(parsed.dependencies)
    assert set(deps) == {
        "org.springframework.boot:spring-boot-starter-web", "io.jsonwebtoken:jjwt-api", "com.google.guava:guava",
        "org.postgresql:postgresql", "org.springframework.boot:spring-boot-starter-test", "com.example:dynamic"}
    web = deps["org.springframework.boot:spring-boot-starter-web"]
    assert (web.line, web.version) == (11, "3.2.5")
    assert (deps["io.jsonwebtoken:jjwt-api"].version, deps["io.jsonwebtoken:jjwt-api"].line) == ("0.12.5", 12)
    assert deps["com.google.guava:guava"].version == "33.2.0-jre"
    assert deps["org.postgresql:postgresql"].line == 16
    assert deps["org.springframework.boot:spring-boot-starter-test"].dev
    assert deps["com.example:dynamic"].version is None and deps["com.example:dynamic"].spec == "1.+"
    assert ("spring-boot", "3.2.5") in {(c.id, c.version) for c in parsed.components}
    assert "kotlin" not in {c.id for c in parsed.components}


def test_kotlin_dsl_catalog_and_properties(tree, ctx):
    tree({
        "gradle.properties": "ktorVersion=2.3.11\n",
        "gradle/libs.versions.toml": """
            [versions]
            boot = "3.3.0"
            jackson = "2.17.1"

            [libraries]
            jackson-databind = { module = "com.fasterxml.jackson.core:jackson-databind", version.ref = "jackson" }
            spring-boot-starter-security = { group = "org.springframework.boot", name = "spring-boot-starter-security" }

            [bundles]
            web = ["jackson-databind"]

            [plugins]
            spring-boot = { id = "org.springframework.boot", version.ref = "boot" }
        """,
        "app/build.gradle.kts": """
            plugins {
                kotlin("jvm") version "1.9.24"
                alias(libs.plugins.spring.boot)
            }
            val ktor: String by project
            dependencies {
                implementation(libs.spring.boot.starter.security)
                implementation(libs.bundles.web)
                implementation("io.ktor:ktor-client-core:$ktorVersion")
                testImplementation(kotlin("test"))
            }
        """,
    })
    parsed = parse_gradle((ctx.root / "app/build.gradle.kts").read_text(), "app/build.gradle.kts", ctx)
    deps = by_name(parsed.dependencies)
    assert deps["org.springframework.boot:spring-boot-starter-security"].version == "3.3.0"
    assert deps["org.springframework.boot:spring-boot-starter-security"].line == 7
    assert deps["com.fasterxml.jackson.core:jackson-databind"].version == "2.17.1"
    assert deps["io.ktor:ktor-client-core"].version == "2.3.11"
    assert {(c.id, c.version) for c in parsed.components} >= {("spring-boot", "3.3.0"), ("kotlin", None)}
    assert parsed.extra_files == ["gradle/libs.versions.toml"]
    project = detect_stack(ctx.root).projects[0]
    assert {"java", "kotlin"} <= project.languages
    assert project.version_of("jackson") == "2.17.1"
