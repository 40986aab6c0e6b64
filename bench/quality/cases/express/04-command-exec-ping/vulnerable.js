const express = require("express");
const { exec } = require("child_process");
const { promisify } = require("util");

const execAsync = promisify(exec);
const app = express();
app.use(express.json());

app.post("/api/diagnostics/ping", async (req, res) => {
  const { host, count = 3 } = req.body;
  try {
    const { stdout } = await execAsync(`ping -c ${Number(count)} ${host}`, { timeout: 10000 });
    res.json({ ok: true, output: stdout });
  } catch (err) {
    res.status(500).json({ ok: false, error: err.message });
  }
});

app.listen(3000);
