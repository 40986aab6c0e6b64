from typing import Annotated

import yaml
from fastapi import APIRouter, Depends, HTTPException, UploadFile
from pydantic import BaseModel, ValidationError

from app.auth import User, get_current_user
from app.pipelines import PipelineService

router = APIRouter(prefix="/pipelines", tags=["pipelines"])


class Step(BaseModel):
    name: str
    image: str
    run: list[str]


class PipelineSpec(BaseModel):
    name: str
    steps: list[Step]


def parse_pipeline(raw: bytes) -> PipelineSpec:
    document = yaml.safe_load(raw)
    return PipelineSpec.model_validate(document)


@router.post("/import", status_code=201)
async def import_pipeline(
    file: UploadFile,
    user: Annotated[User, Depends(get_current_user)],
    service: Annotated[PipelineService, Depends()],
):
    raw = await file.read(256 * 1024)
    try:
        spec = parse_pipeline(raw)
    except (yaml.YAMLError, ValidationError) as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from exc
    pipeline = await service.create(owner_id=user.id, spec=spec)
    return {"id": pipeline.id, "name": spec.name}
