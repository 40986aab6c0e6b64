import asyncio
from pathlib import Path

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

app = FastAPI()
MEDIA = Path("/data/media")


class ThumbnailRequest(BaseModel):
    filename: str
    second: int = 1


@app.post("/thumbnails")
async def make_thumbnail(req: ThumbnailRequest):
    src = MEDIA / req.filename
    out = MEDIA / "thumbs" / f"{src.stem}.jpg"
    proc = await asyncio.create_subprocess_shell(
        f"ffmpeg -y -ss {req.second} -i {src} -frames:v 1 {out}",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await proc.communicate()
    if proc.returncode != 0:
        raise HTTPException(500, err.decode()[-300:])
    return {"thumbnail": out.name}
