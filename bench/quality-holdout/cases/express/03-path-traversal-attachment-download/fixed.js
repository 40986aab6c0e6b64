import express from "express";
import path from "node:path";
import fs from "node:fs/promises";
import { requireAuth } from "./middleware/requireAuth.js";

const UPLOADS_DIR = path.resolve(process.env.UPLOADS_DIR ?? "./uploads");

export const attachments = express.Router();

function attachmentPath(ticketId, fileName) {
  const base = path.join(UPLOADS_DIR, "tickets", ticketId);
  const resolved = path.resolve(base, fileName);
  if (!resolved.startsWith(base + path.sep)) {
    return null;
  }
  return resolved;
}

attachments.get("/tickets/:ticketId/attachments/:fileName", requireAuth, async (req, res, next) => {
  try {
    const ticket = await req.app.locals.db.tickets.findForUser(req.params.ticketId, req.user.id);
    if (!ticket) return res.sendStatus(404);

    const filePath = attachmentPath(String(ticket.id), req.params.fileName);
    if (!filePath) return res.sendStatus(404);
    await fs.access(filePath);
    res.download(filePath);
  } catch (err) {
    if (err.code === "ENOENT") return res.sendStatus(404);
    next(err);
  }
});
