import { Router, type Request, type Response, type NextFunction } from "express";
import { exec } from "node:child_process";
import { promisify } from "node:util";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { requireUser } from "../middleware/auth";

const execAsync = promisify(exec);

interface ImportRequest {
  repoUrl: string;
  branch?: string;
}

export class RepositoryImporter {
  constructor(private readonly workRoot: string = tmpdir()) {}

  async cloneShallow({ repoUrl, branch = "main" }: ImportRequest): Promise<string> {
    const dir = await mkdtemp(path.join(this.workRoot, "import-"));
    const cmd = `git clone --depth 1 --branch ${branch} ${repoUrl} ${dir}`;
    await execAsync(cmd, { timeout: 60_000 });
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
