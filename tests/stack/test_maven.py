import pytest
from stack_helpers import by_name, dedent

from auditor.stack.detect import detect_stack
from auditor.stack.ecosystems.base import ManifestError
from auditor.stack.ecosystems.maven import parse_pom

POM = dedent('''
    <?xml version="1.0" encoding="UTF-8"?>
    <project xmlns="http://maven.apache.org/POM/4.0.0">
      <modelVersion>4.0.0</modelVersion>
      <parent>
        <groupId>org.springframework.boot</groupId>
        <artifactId>spring-boot-starter-parent</artifactId>
        <version>3.2.5</version>
        <relativePath/>
      </parent>
      <groupId>com.example</groupId>
      <artifactId>app</artifactId>
      <version>1.0.0</version>
      <properties>
        <jjwt.version>0.12.5</jjwt.version>
        <lib.version>${jjwt.version}</lib.version>
      </properties>
      <dependencies>
        <dependency>
          <groupId>org.springframework.boot</groupId>
          <artifactId>spring-boot-starter-web</artifactId>
        </dependency>
        <dependency>
          <groupId>io.jsonwebtoken</groupId>
          <artifactId>jjwt-api</artifactId>
          <version>${lib.version}</version>
        </dependency>
        <dependency>
          <groupId>org.postgresql</groupId>
          <artifactId>postgresql</artifactId>
          <scope>runtime</scope>
        </dependency>
        <dependency>
          <groupId>com.example</groupId>
          <artifactId>ranged</artifactId>
          <version>[1.0,2.0)</version>
        </dependency>
        <dependency>
          <groupId>org.springframework.boot</groupId>
          <artifactId>spring-boot-starter-test</artifactId>
          <scope>test</scope>
        </dependency>
      </dependencies>
    </project>
''')


def test_pom_parent_properties_lines_and_scopes(ctx):
    parsed = parse_pom(POM, "pom.xml", ctx)
    deps = by_name(parsed.dependencies)
    web = deps["org.springframework.boot:spring-boot-starter-web"]
    assert (web.line, web.spec, web.version) == (20, None, "3.2.5")  # Boot's BOM pins its starters
    jjwt = deps["io.jsonwebtoken:jjwt-api"]
    assert (jjwt.line, jjwt.spec, jjwt.version) == (24, "0.12.5", "0.12.5")  # nested ${} interpolation
    assert deps["org.postgresql:postgresql"].version is None  # managed by a remote BOM we do not fetch
    assert deps["com.example:ranged"].version is None and deps["com.example:ranged"].spec == "[1.0,2.0)"
    assert deps["org.springframework.boot:spring-boot-starter-test"].dev
    assert [(c.id, c.version) for c in parsed.components] == [("spring-boot", "3.2.5")]


def test_local_parent_chain_gives_properties_and_managed_versions(tree, ctx):
    tree({
        "pom.xml": """
            <project>
              <groupId>com.acme</groupId><artifactId>platform</artifactId><version>2.0.0</version>
              <packaging>pom</packaging>
              <properties><guava.version>33.2.0-jre</guava.version></properties>
              <dependencyManagement><dependencies>
                <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-dependencies</artifactId>
                  <version>3.3.0</version><type>pom</type><scope>import</scope></dependency>
                <dependency><groupId>com.google.guava</groupId><artifactId>guava</artifactId>
                  <version>${guava.version}</version></dependency>
              </dependencies></dependencyManagement>
            </project>
        """,
        "service/pom.xml": """
            <project>
              <parent><groupId>com.acme</groupId><artifactId>platform</artifactId><version>2.0.0</version></parent>
              <artifactId>service</artifactId>
              <dependencies>
                <dependency><groupId>com.google.guava</groupId><artifactId>guava</artifactId></dependency>
                <dependency><groupId>${project.groupId}</groupId><artifactId>shared</artifactId>
                  <version>${project.version}</version></dependency>
                <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-security</artifactId></dependency>
              </dependencies>
            </project>
        """,
    })
    parsed = parse_pom((ctx.root / "service/pom.xml").read_text(), "service/pom.xml", ctx)
    deps = by_name(parsed.dependencies)
    assert deps["com.google.guava:guava"].version == "33.2.0-jre"
    assert deps["com.acme:shared"].version == "2.0.0"
    assert deps["org.springframework.boot:spring-boot-starter-security"].version == "3.3.0"
    stack = detect_stack(ctx.root)
    service = next(p for p in stack.projects if p.path == "service")
    assert service.version_of("spring-boot") == "3.3.0"
    assert service.version_of("spring-security") == "6.3"  # the Security line Boot 3.3 pins
    assert "java" in service.languages


def test_pom_errors(ctx):
    with pytest.raises(ManifestError, match=r"invalid XML: mismatched tag \(line 3\)"):
        parse_pom("<project>\n<dependencies>\n</project>\n", "pom.xml", ctx)
    with pytest.raises(ManifestError, match="not <project>"):
        parse_pom("<settings/>", "pom.xml", ctx)
    with pytest.raises(ManifestError, match="without groupId/artifactId"):
        parse_pom("<project><dependencies><dependency><version>1</version></dependency></dependencies></project>",
                  "pom.xml", ctx)


def test_pom_refuses_entities(ctx):
    xxe = ('<?xml version="1.0"?>\n<!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
           "<project><name>&x;</name></project>")
    with pytest.raises(ManifestError, match="refused XML"):
        parse_pom(xxe, "pom.xml", ctx)
