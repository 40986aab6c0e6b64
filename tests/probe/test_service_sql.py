"""The statements a route's handler builds include those of the service and repository methods it
calls (a layered app keeps its SQL there): the OR shapes, sent only where a handler builds
nothing but SELECTs, reach a NestJS login whose service reads, and stay away from one whose
service also writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.probe.checks.sql_code import handler_statement_kinds
from auditor.probe.interface import Route

CONTROLLER = """@Controller('api/auth')
export class AuthController {
  constructor(private readonly authService: AuthService) {}

  @Post('login')
  async login(@Body() dto: LoginDto) {
    const user = await this.authService.login(dto);
    return user;
  }
}
"""

SERVICE = """@Injectable()
export class AuthService {
  async register(data: RegisterDto) {
    return this.db.execute(`INSERT INTO users (email) VALUES ('${data.email}')`);
  }

  async login({ email, password }: LoginDto) {
    const user = this.db.queryOne(`SELECT * FROM users WHERE email = '${email}' AND password = '${password}'`);
    WRITE
    return user;
  }
}
"""


@pytest.mark.parametrize("writes", [False, True])
def test_a_handler_statements_include_its_service_methods(tmp_path: Path, writes: bool):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "auth.controller.ts").write_text(CONTROLLER)
    write = "this.db.execute(`UPDATE users SET last_login = 1 WHERE email = '${email}'`);" if writes else ""
    (tmp_path / "src" / "auth.service.ts").write_text(SERVICE.replace("WRITE", write))
    route = Route("POST", "/api/auth/login", [], file="src/auth.controller.ts", line=6)
    # the controller's own file is not the service's, and the service's other methods are not this one's
    assert handler_statement_kinds(tmp_path, route) == ({"SELECT", "UPDATE"} if writes else {"SELECT"})
