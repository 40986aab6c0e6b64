import asyncio
from pathlib import Path

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, Field

app = FastAPI()
MEDIA = Path("/data/media")


class ThumbnailRequest(BaseModel):
    filename: str = Field(pattern=r"^[A-Za-z0-9_-]+\.(mp4|mov|webm)$")
    second: int = Field(default=1, ge=0, le=3600)


@app.post("/thumbnails")
async def make_thumbnail(req: ThumbnailRequest):
    src = MEDIA / req.filename
    out = MEDIA / "thumbs" / f"{src.stem}.jpg"
    proc = await asyncio.create_subprocess_exec(
        "ffmpeg", "-y", "-ss", str(req.second), "-i", str(src), "-frames:v", "1", str(out),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await proc.communicate()
    if proc.returncode != 0:
        raise HTTPException(500, err.decode()[-300:])
    return {"thumbnail": out.name}
