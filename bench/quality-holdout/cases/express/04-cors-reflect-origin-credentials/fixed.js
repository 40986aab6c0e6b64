const express = require("express");
const session = require("express-session");
const helmet = require("helmet");
const RedisStore = require("connect-redis").default;
const { createClient } = require("redis");
const apiRoutes = require("./routes/api");

const app = express();
const redisClient = createClient({ url: process.env.REDIS_URL });
redisClient.connect().catch(console.error);

app.set("trust proxy", 1);
app.use(helmet());
app.use(express.json({ limit: "100kb" }));

const ALLOWED_ORIGINS = new Set(
  (process.env.CORS_ORIGINS ?? "https://app.acme.dev,https://admin.acme.dev").split(","),
);

app.use((req, res, next) => {
  const origin = req.headers.origin;
  if (origin && ALLOWED_ORIGINS.has(origin)) {
    res.setHeader("Access-Control-Allow-Origin", origin);
    res.setHeader("Access-Control-Allow-Credentials", "true");
    res.setHeader("Access-Control-Allow-Methods", "GET,POST,PUT,PATCH,DELETE,OPTIONS");
    res.setHeader("Access-Control-Allow-Headers", "Content-Type,Authorization");
    res.setHeader("Vary", "Origin");
  }
  if (req.method === "OPTIONS") return res.sendStatus(204);
  next();
});

app.use(
  session({
    store: new RedisStore({ client: redisClient }),
    secret: process.env.SESSION_SECRET,
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, secure: true, sameSite: "lax", maxAge: 1000 * 60 * 60 * 8 },
  }),
);

app.use("/api", apiRoutes);

module.exports = app;
