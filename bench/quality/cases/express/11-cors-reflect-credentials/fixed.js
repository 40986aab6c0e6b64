const express = require("express");
const cors = require("cors");
const cookieParser = require("cookie-parser");
const helmet = require("helmet");
const apiRoutes = require("./routes/api");

const app = express();
const allowedOrigins = (process.env.CORS_ORIGINS || "https://app.example.com").split(",");

app.use(helmet());
app.use(
  cors({
    origin: allowedOrigins,
    credentials: true,
    methods: ["GET", "POST", "PUT", "DELETE"],
  })
);
app.use(cookieParser());
app.use(express.json());
app.use("/api", apiRoutes);

app.listen(process.env.PORT || 4000);
