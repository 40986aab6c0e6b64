const express = require("express");
const { execFile } = require("child_process");
const net = require("net");
const { promisify } = require("util");

const execFileAsync = promisify(execFile);
const HOSTNAME_RE = /^[a-zA-Z0-9.-]{1,253}$/;
const app = express();
app.use(express.json());

app.post("/api/diagnostics/ping", async (req, res) => {
  const { host, count = 3 } = req.body;
  if (typeof host !== "string" || host.startsWith("-") || !(net.isIP(host) || HOSTNAME_RE.test(host))) {
    return res.status(400).json({ ok: false, error: "invalid host" });
  }
  const n = Math.min(Math.max(parseInt(count, 10) || 3, 1), 10);
  try {
    const { stdout } = await execFileAsync("ping", ["-c", String(n), "--", host], { timeout: 10000 });
    res.json({ ok: true, output: stdout });
  } catch (err) {
    res.status(500).json({ ok: false, error: err.message });
  }
});

app.listen(3000);
