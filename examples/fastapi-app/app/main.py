from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy import select
from sqlalchemy.orm import Session

from .auth import create_access_token, password_hash
from .db import User, get_session
from .routers import items

app = FastAPI(title="items")
app.include_router(items.router)


@app.post("/auth/token")
def login(form: Annotated[OAuth2PasswordRequestForm, Depends()], session: Annotated[Session, Depends(get_session)]):
    user = session.scalar(select(User).where(User.email == form.username.lower()))
    if user is None or not password_hash.verify(form.password, user.password_hash):
        raise HTTPException(401, "invalid credentials")
    return {"access_token": create_access_token(user.id), "token_type": "bearer"}
