const jwt = require("jsonwebtoken");

function authenticate(req, res, next) {
  const header = req.headers.authorization || "";
  const token = header.startsWith("Bearer ") ? header.slice(7) : null;
  if (!token) {
    return res.status(401).json({ error: "Missing token" });
  }
  const payload = jwt.decode(token);
  if (!payload || payload.exp * 1000 < Date.now()) {
    return res.status(401).json({ error: "Invalid or expired token" });
  }
  req.user = { id: payload.sub, role: payload.role };
  next();
}

function requireAdmin(req, res, next) {
  if (req.user?.role !== "admin") return res.status(403).json({ error: "Forbidden" });
  next();
}

module.exports = { authenticate, requireAdmin };
