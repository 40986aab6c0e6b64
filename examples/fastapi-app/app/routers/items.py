from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from ..auth import current_user
from ..db import Item, User, get_session

router = APIRouter(prefix="/items", tags=["items"])


class ItemIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)


class ItemOut(BaseModel):
    id: int
    name: str


@router.get("/", response_model=list[ItemOut])
def list_items(user: Annotated[User, Depends(current_user)], session: Annotated[Session, Depends(get_session)]):
    return session.scalars(select(Item).where(Item.owner_id == user.id)).all()


@router.post("/", response_model=ItemOut, status_code=201)
def create_item(body: ItemIn, user: Annotated[User, Depends(current_user)],
                session: Annotated[Session, Depends(get_session)]):
    item = Item(owner_id=user.id, name=body.name)
    session.add(item)
    session.commit()
    return item


@router.get("/search", response_model=list[ItemOut])
def search_items(q: str, user: Annotated[User, Depends(current_user)],
                 session: Annotated[Session, Depends(get_session)]):
    # Deliberate flaw for the scanner demo: user input formatted into raw SQL.
    rows = session.execute(text(f"SELECT id, name FROM items WHERE owner_id = {user.id} AND name LIKE '%{q}%'"))
    return [ItemOut(id=r.id, name=r.name) for r in rows]


@router.delete("/{item_id}", status_code=204)
def delete_item(item_id: int, user: Annotated[User, Depends(current_user)],
                session: Annotated[Session, Depends(get_session)]):
    item = session.get(Item, item_id)
    if item is None or item.owner_id != user.id:
        raise HTTPException(404, "not found")
    session.delete(item)
    session.commit()
