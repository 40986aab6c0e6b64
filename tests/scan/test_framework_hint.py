"""Stack-less files (a file scanned alone, a hook's buffer) are reported under their
framework's rule, read from the file's imports, in every language."""

from __future__ import annotations

import pytest

from auditor.scan.engine import Scanner
from auditor.scan.framework_hint import framework_hint

SCANNER = Scanner(secrets=False)


@pytest.mark.parametrize(("language", "code", "expected"), [
    ("javascript", "const express = require('express');", "express"),
    ("typescript", "import { Controller } from '@nestjs/common';\nimport express from 'express';", "nestjs"),
    ("tsx", "import { redirect } from 'next/navigation';\nimport React from 'react';", "nextjs"),
    ("typescript", "import Fastify from 'fastify';", "fastify"),
    ("typescript", "import { Component } from '@angular/core';", "angular"),
    ("javascript", "const x = require('expressive');", None),
    ("java", "import org.springframework.web.bind.annotation.GetMapping;", "spring-boot"),
    ("ruby", "class UsersController < ApplicationController\nend", "rails"),
    ("ruby", "require 'sinatra'\nget '/' do\nend", "sinatra"),
    ("go", 'import "github.com/gin-gonic/gin"', "gin"),
    ("go", 'import "github.com/labstack/echo/v4"', "echo"),
    ("php", "<?php\nuse Illuminate\\Http\\Request;", "laravel"),
    ("python", "from flask import Flask", None),  # Python checks pass their own, finer hint
])
def test_framework_hint(language, code, expected):
    assert framework_hint(language, code) == expected


def test_express_file_alone_reports_the_express_rule():
    code = (
        "const express = require('express');\n"
        "const app = express();\n"
        "app.get('/x', async (req, res) => {\n"
        "  res.json(await db.query('SELECT * FROM t WHERE a = ' + req.query.a));\n"
        "});\n"
    )
    assert [f.rule_id for f in SCANNER.scan_source("app.js", code)] == ["express.sql.parameterize"]


def test_plain_js_file_keeps_the_language_rule():
    code = "async function find(db, req) {\n  return db.query('SELECT * FROM t WHERE a = ' + req.query.a);\n}\n"
    assert [f.rule_id for f in SCANNER.scan_source("lib.js", code)] == ["js.sql.parameterize"]


def test_tsx_file_of_a_nextjs_project_reports_the_nextjs_rule():
    """A rule whose examples are TypeScript speaks about .tsx files too: a Next.js page's login
    action is reported under the Next.js rule, not under another framework's rule that merely
    happens to have JavaScript examples."""
    from auditor.stack.model import StackComponent, SubProject

    project = SubProject(path=".")
    project.add(StackComponent("nextjs", "framework"))
    code = (
        "import { cookies } from 'next/headers';\n"
        "async function loginAction(formData: FormData) {\n"
        "  'use server';\n"
        "  cookies().set('session', String(formData.get('email')), { httpOnly: true, secure: true, sameSite: 'lax' });\n"
        "}\n"
        "export default function Page() { return <form action={loginAction} />; }\n"
    )
    found = Scanner(secrets=False).scan_source("app/login/page.tsx", code, project)
    assert [f.rule_id for f in found if f.category == "missing-rate-limiting"] == ["nextjs.ratelimit.auth"]
