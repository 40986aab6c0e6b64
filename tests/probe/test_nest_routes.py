"""NestJS controllers' routes and inputs, read from their decorators (routes/nest.py)."""

from __future__ import annotations

import pytest

from auditor.probe.routes import code_routes

MAIN = """import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.setGlobalPrefix('api');
  await app.listen(3000);
}
bootstrap();
"""
DTO = """import { IsEmail, IsString, MinLength } from 'class-validator';

export class BaseUserDto {
  @IsEmail()
  email: string;
}

export class CreateUserDto extends BaseUserDto {
  @IsString()
  username: string;

  @MinLength(8)
  password?: string;

  greet() {
    const local = 1;
    return local;
  }
}
"""
CONTROLLER = """import { Body, Controller, Get, Headers, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import { CreateUserDto } from './dto/create-user.dto';

@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  list(@Query('page') page: string) {
    return this.users.list(page);
  }

  @Get(':id')
  @UseGuards(AuthGuard)
  findOne(@Param('id') id: string, @Headers('x-tenant') tenant: string) {
    return this.users.find(id, tenant);
  }

  @Post()
  create(@Body() dto: CreateUserDto) {
    return this.users.create(dto);
  }

  @Post(['search', 'find'])
  search(@Req() request: Request, @Body() body: any) {
    return this.users.search(request.query.q, body.filter);
  }

  helper() {
    return 1;
  }
}

@Controller()
class HealthController {
  @Get('health')
  health() {
    return 'ok';
  }
}
"""


def _routes(tmp_path):
    src = tmp_path / "src"
    (src / "users" / "dto").mkdir(parents=True)
    (src / "main.ts").write_text(MAIN)
    (src / "users" / "dto" / "create-user.dto.ts").write_text(DTO)
    (src / "users" / "users.controller.ts").write_text(CONTROLLER)
    return {(r.method, r.path): [(p.name, p.location) for p in r.params] for r in code_routes(tmp_path)}


def test_nest_controllers_under_the_global_prefix(tmp_path):
    routes = _routes(tmp_path)
    assert routes[("GET", "/api/users")] == [("page", "query")]
    assert routes[("GET", "/api/users/{id}")] == [("id", "path"), ("x-tenant", "header"), ("Authorization", "header")]
    assert ("GET", "/api/health") in routes
    assert not any("helper" in path for _, path in routes)


def test_a_dto_body_gives_its_fields_inherited_ones_first(tmp_path):
    assert _routes(tmp_path)[("POST", "/api/users")] == [("email", "json"), ("username", "json"), ("password", "json")]


def test_the_request_object_and_an_untyped_body_are_read_in_the_method(tmp_path):
    routes = _routes(tmp_path)
    for path in ("/api/users/search", "/api/users/find"):
        assert sorted(routes[("POST", path)]) == [("filter", "json"), ("q", "query")]


def test_a_file_without_controllers_is_read_as_express(tmp_path):
    (tmp_path / "server.ts").write_text("import express from 'express';\nconst app = express();\n"
                                        "app.get('/ping', (req, res) => res.send(req.query.x));\n")
    routes = {(r.method, r.path): r for r in code_routes(tmp_path)}
    assert ("GET", "/ping") in routes and routes[("GET", "/ping")].framework != "nestjs"


def _nest_error_app(with_stack: bool):
    """Nest's exception filter in development puts the error's stack into the 500's JSON."""
    import json

    def handle(method, path, headers, body):
        answer = {"statusCode": 500, "message": "Internal server error"}
        if with_stack:
            answer["stack"] = "Error: boom\n    at MisconfigController.throwError (/srv/app/dist/misconfig.js:12:15)"
        return 500, {"Content-Type": "application/json"}, json.dumps(answer)

    return handle


@pytest.mark.parametrize("with_stack", [True, False])
def test_a_stack_inside_a_json_error_is_debug_output(with_stack):
    from auditor.probe.checks.debug import DebugPages
    from auditor.probe.interface import ProbeContext
    from auditor.probe.safety import Limits, SafeClient
    from auditor.probe.sender import PointSender

    from .standin import serve

    with serve(_nest_error_app(with_stack)) as url:
        client = SafeClient(url, Limits(rps=1000))
        found = DebugPages().run(PointSender(client), ProbeContext(client.base_url), [])
    assert bool(found) is with_stack
    if found:
        assert "NODE_ENV=production" in found[0].message


def test_mapped_dto_types_and_a_documented_untyped_body(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "user.entity.ts").write_text(
        "export class User {\n  id: number;\n  username: string;\n  password: string;\n  role: string;\n"
        "  posts: Post[];\n}\n"
        "export class CreateUserDto extends PickType(User, ['username', 'password', 'role'] as const) {}\n"
        "export class PublicUser extends OmitType(User, ['password']) {}\n")
    (src / "user.controller.ts").write_text(
        "@Controller('user')\nexport class UserController {\n"
        "  @Post()\n  @ApiBody({ type: CreateUserDto })\n  create(@Body() body: any) {\n"
        "    return this.users.create(body);\n  }\n"
        "  @Post('public')\n  show(@Body() user: PublicUser) {\n    return user;\n  }\n}\n")
    routes = {(r.method, r.path): [p.name for p in r.params] for r in code_routes(tmp_path)}
    assert routes[("POST", "/user")] == ["username", "password", "role"]  # not the entity's id and posts
    assert routes[("POST", "/user/public")] == ["id", "username", "role", "posts"]


def test_the_document_a_nest_or_fastapi_app_declares(tmp_path):
    from auditor.probe.routes.signs import read_signs

    (tmp_path / "main.ts").write_text("const doc = SwaggerModule.createDocument(app, config);\n"
                                      "SwaggerModule.setup('api', app, doc);\n")
    (tmp_path / "app.py").write_text('app = FastAPI(openapi_url="/v1/openapi.json")\n')
    assert sorted(read_signs(tmp_path).documents) == ["/api-json", "/v1/openapi.json"]


def test_guarded_routes_read_the_authorization_header(tmp_path):
    (tmp_path / "posts.controller.ts").write_text(
        "@Controller('posts')\nexport class PostsController {\n"
        "  @Get()\n  list() { return []; }\n"
        "  @UseGuards(JwtAuthGuard)\n  @Post()\n  create(@Body('title') title: string) { return title; }\n}\n"
        "@UseGuards(AuthGuard('jwt'))\n@Controller('me')\nexport class MeController {\n"
        "  @Get()\n  me() { return {}; }\n}\n")
    routes = {(r.method, r.path): [(p.name, p.location) for p in r.params] for r in code_routes(tmp_path)}
    assert routes[("GET", "/posts")] == []
    assert routes[("POST", "/posts")] == [("title", "json"), ("Authorization", "header")]
    assert routes[("GET", "/me")] == [("Authorization", "header")]


WEBHOOKS = """import { Body, Controller, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor, FilesInterceptor } from '@nestjs/platform-express';
import { WebhookService } from './webhook.service';

@Controller('webhook')
export class WebhookController {
  constructor(private readonly webhookService: WebhookService, private readonly other: OtherService) {}

  @Post('payment')
  notify(@Body() body: any) {
    return this.webhookService.processPayment(body, 'x');
  }

  @Post('generic')
  generic(@Body() payload: any) {
    return this.other.processPayment(payload);
  }

  @Post('test')
  test(@Body() body: { action: string; target?: string }) {
    return this.webhookService.runTest(body.action, body.target);
  }

  @Post('avatar')
  @UseInterceptors(FileInterceptor('avatar', { dest: './uploads' }))
  avatar(@UploadedFile() file) {
    return { name: file.originalname };
  }

  @Post('gallery')
  @UseInterceptors(FilesInterceptor('photos', 5))
  gallery(@UploadedFiles() files) {
    return files.length;
  }
}
"""
SERVICE = """import { Injectable } from '@nestjs/common';

@Injectable()
export class WebhookService {
  async processPayment(notification: any, source: string): Promise<void> {
    const { orderId, status } = notification;
    await this.prisma.$queryRawUnsafe(`UPDATE orders SET status='${status}' WHERE id=${orderId}`);
    if (notification.signature) { return; }
  }

  async runTest(action: string, target: string) {
    switch (action) {
      case 'sql_injection':
        return this.prisma.$queryRawUnsafe(`SELECT * FROM orders WHERE id = ${target}`);
    }
  }
}

@Injectable()
export class OtherService {
  processPayment(data: any) {
    return data.reference;
  }
}
"""


def test_a_body_handed_on_to_an_injected_service_and_file_interceptors(tmp_path):
    """damn-vulnerable-nestjs: `@Body() body: any` unpacked in the service the controller hands it
    to, and `FileInterceptor('file')` uploads. Each service call is read in its own injected class
    (`other.processPayment` is OtherService's, not WebhookService's)."""
    (tmp_path / "main.ts").write_text(MAIN)
    (tmp_path / "webhook.controller.ts").write_text(WEBHOOKS)
    (tmp_path / "webhook.service.ts").write_text(SERVICE)
    routes = {r.path: r for r in code_routes(tmp_path)}
    inputs = {path: {(p.name, p.location) for p in r.params} for path, r in routes.items()}
    assert inputs["/api/webhook/payment"] == {("orderId", "json"), ("status", "json"), ("signature", "json")}
    assert inputs["/api/webhook/generic"] == {("reference", "json")}
    test = {p.name: p.example for p in routes["/api/webhook/test"].params}
    assert test == {"action": "sql_injection", "target": ""}  # values handed on one by one
    assert inputs["/api/webhook/avatar"] == {("avatar", "file")}
    assert inputs["/api/webhook/gallery"] == {("photos", "file")}


ORDERS = """import { Body, Controller, Post } from '@nestjs/common';

export class OrderItemDto {
  productId: number;
  quantity: number;
  note?: string;
}

export class CreateOrderDto {
  @IsArray()
  @ValidateNested({ each: true })
  items: OrderItemDto[];
  express?: boolean;
  tags: string[];
  userId: number;
  address: string;
}

@Controller('orders')
export class OrdersController {
  @Post()
  create(@Body() dto: CreateOrderDto) {
    return dto;
  }
}
"""


def test_a_dtos_declared_types_shape_the_json_sent_beside_the_input_under_test(tmp_path):
    """damn-vulnerable-nestjs's orders: `items` sent as the string "1" failed ("no such column:
    undefined"), so no order was ever made. A typed DTO field is sent as its type."""
    import json

    from auditor.probe.interface import InjectionPoint
    from auditor.probe.safety import SafeClient
    from auditor.probe.sender import PointSender

    (tmp_path / "orders.controller.ts").write_text(ORDERS)
    route = next(r for r in code_routes(tmp_path) if r.path == "/orders")
    shapes = {p.name: p.shape for p in route.params}
    assert shapes == {"items": '[{"productId": 1, "quantity": 1, "note": "1"}]', "express": "true",
                      "tags": '["1"]', "userId": "1", "address": ""}
    address = next(p for p in route.params if p.name == "address")
    _, kwargs = PointSender(SafeClient("http://127.0.0.1:9"))._build(route, InjectionPoint(route, address), "PAYLOAD")
    body = kwargs["json_body"]
    assert body == {"items": [{"productId": 1, "quantity": 1, "note": "1"}], "express": True, "tags": ["1"],
                    "userId": 1, "address": "PAYLOAD"}
    from auditor.probe.checks.objects import body_of

    made, is_json = body_of(route, {p.name: "CANARY" for p in route.params})  # the IDOR check's create
    assert is_json and made == {"items": [{"productId": 1, "quantity": 1, "note": "1"}], "express": True,
                                "tags": ["1"], "userId": 1, "address": "CANARY"}
    userid = next(p for p in route.params if p.name == "userId")
    _, kwargs = PointSender(SafeClient("http://127.0.0.1:9"))._build(route, InjectionPoint(route, userid), "PAYLOAD")
    assert kwargs["json_body"]["userId"] == "PAYLOAD" and json.dumps(kwargs["json_body"])  # the payload as sent


GUARDED = """import { Body, Controller, Post, UseGuards, Injectable, CanActivate, ExecutionContext } from '@nestjs/common';

@Injectable()
export class AdminGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest();
    if (request.headers['x-admin-override'] === 'true') {
      return true;
    }
    return request.user?.role === 'admin';
  }
}

@Controller('products')
export class ProductsController {
  @Post()
  @UseGuards(AdminGuard)
  create(@Body('name') name: string) {
    return name;
  }

  @Post('plain')
  plain(@Body('name') name: string) {
    return name;
  }
}
"""


def test_what_a_routes_guard_reads_is_an_input_with_the_value_it_lets_through(tmp_path):
    """damn-vulnerable-nestjs's AdminGuard lets `X-Admin-Override: true` through: every request the
    probe sent to POST /products got 403 before the handler's SQL ran."""
    (tmp_path / "products.controller.ts").write_text(GUARDED)
    routes = {r.path: r for r in code_routes(tmp_path)}
    guarded = {(p.name, p.location): p.example for p in routes["/products"].params}
    assert guarded == {("name", "json"): "", ("Authorization", "header"): "", ("x-admin-override", "header"): "true"}
    assert {(p.name, p.location) for p in routes["/products/plain"].params} == {("name", "json")}


FORCED = """import { Controller, Put, Delete, Body, Param, Query } from '@nestjs/common';

@Controller('users')
export class UsersController {
  @Put(':id')
  async update(@Param('id') id: string, @Body() body: any, @Query('force') force?: string) {
    if (Number(id) !== 1 && force !== 'true') {
      return { success: false };
    }
    return this.save(id, body.firstName);
  }

  @Delete(':id')
  async remove(@Param('id') id: string, @Query('confirm') sure: string) {
    if (sure !== 'yes') return { hint: 'add ?confirm=yes' };
    return this.drop(id);
  }
}
"""


def test_a_decorated_input_takes_the_literal_its_method_compares_it_with(tmp_path):
    """damn-vulnerable-nestjs's `?force=true` skips the owner check of PUT /users/{id}, and
    `?confirm=yes` lets DELETE through: the probe sent `1` for both."""
    (tmp_path / "users.controller.ts").write_text(FORCED)
    routes = {(r.method, r.path): r for r in code_routes(tmp_path)}
    assert {p.name: p.example for p in routes[("PUT", "/users/{id}")].params if p.location == "query"} == {"force": "true"}
    # the local has another name than the key it is read from
    assert {p.name: p.example for p in routes[("DELETE", "/users/{id}")].params if p.location == "query"} == {"confirm": "yes"}
