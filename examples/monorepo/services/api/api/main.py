import os
import uuid

import redis.asyncio as redis
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, Field

app = FastAPI(title="acme-api")
queue = redis.from_url(os.environ.get("REDIS_URL", "redis://localhost:6379/0"))


class JobIn(BaseModel):
    kind: str = Field(pattern=r"^(thumbnail|export)$")
    source_url: str = Field(max_length=2048)


@app.post("/jobs", status_code=202)
async def enqueue(job: JobIn) -> dict[str, str]:
    job_id = str(uuid.uuid4())
    await queue.hset(f"job:{job_id}", mapping={"kind": job.kind, "source_url": job.source_url, "status": "queued"})
    await queue.lpush("jobs", job_id)
    return {"id": job_id}


@app.get("/jobs/{job_id}")
async def status(job_id: uuid.UUID) -> dict[str, str]:
    data = await queue.hgetall(f"job:{job_id}")
    if not data:
        raise HTTPException(404, "no such job")
    return {k.decode(): v.decode() for k, v in data.items()}
