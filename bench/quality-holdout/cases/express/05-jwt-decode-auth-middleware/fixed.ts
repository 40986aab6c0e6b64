import type { Request, Response, NextFunction } from "express";
import jwt, { type JwtPayload } from "jsonwebtoken";

export interface AuthUser {
  id: string;
  orgId: string;
  scopes: string[];
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      auth?: AuthUser;
    }
  }
}

const JWT_SECRET = process.env.JWT_SECRET;
if (!JWT_SECRET) throw new Error("JWT_SECRET is not set");

function bearerToken(req: Request): string | null {
  const header = req.get("authorization") ?? "";
  const [scheme, value] = header.split(" ");
  return scheme?.toLowerCase() === "bearer" && value ? value : null;
}

export function authenticate(req: Request, res: Response, next: NextFunction) {
  const token = bearerToken(req);
  if (!token) return res.status(401).json({ error: "missing token" });

  let payload: JwtPayload;
  try {
    payload = jwt.verify(token, JWT_SECRET, { algorithms: ["HS256"], audience: "api.acme.dev" }) as JwtPayload;
  } catch {
    return res.status(401).json({ error: "invalid token" });
  }
  if (!payload.sub) return res.status(401).json({ error: "invalid token" });

  req.auth = { id: payload.sub, orgId: payload.org_id, scopes: String(payload.scope ?? "").split(" ") };
  next();
}

export function requireScope(scope: string) {
  return (req: Request, res: Response, next: NextFunction) =>
    req.auth?.scopes.includes(scope) ? next() : res.status(403).json({ error: "forbidden" });
}
