import { Router, type Request, type Response, type NextFunction } from "express";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { requireUser } from "../middleware/auth";

const execFileAsync = promisify(execFile);

interface ImportRequest {
  repoUrl: string;
  branch?: string;
}

const BRANCH_NAME = /^[A-Za-z0-9._\/-]{1,100}$/;

export class RepositoryImporter {
  constructor(private readonly workRoot: string = tmpdir()) {}

  async cloneShallow({ repoUrl, branch = "main" }: ImportRequest): Promise<string> {
    const url = new URL(repoUrl);
    if (url.protocol !== "https:" || !BRANCH_NAME.test(branch) || branch.startsWith("-")) {
      throw Object.assign(new Error("invalid repository"), { status: 400 });
    }
    const dir = await mkdtemp(path.join(this.workRoot, "import-"));
    await execFileAsync("git", ["clone", "--depth", "1", "--branch", branch, "--", url.href, dir], {
      timeout: 60_000,
    });
    return dir;
  }
}

const importer = new RepositoryImporter();
export const importsRouter = Router();

importsRouter.post("/imports", requireUser, async (req: Request, res: Response, next: NextFunction) => {
  try {
    const dir = await importer.cloneShallow(req.body as ImportRequest);
    res.status(202).json({ status: "cloned", workspace: path.basename(dir) });
  } catch (err) {
    next(err);
  }
});
