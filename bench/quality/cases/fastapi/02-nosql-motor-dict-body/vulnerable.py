from typing import Any

from fastapi import Body, FastAPI, HTTPException
from motor.motor_asyncio import AsyncIOMotorClient

from app.security import create_access_token

app = FastAPI()
client = AsyncIOMotorClient("mongodb://mongo:27017")
db = client.accounts


@app.post("/login")
async def login(credentials: dict[str, Any] = Body(...)):
    user = await db.users.find_one(
        {"username": credentials.get("username"), "password": credentials.get("password")}
    )
    if user is None:
        raise HTTPException(status_code=401, detail="Invalid credentials")
    return {"access_token": create_access_token(str(user["_id"])), "token_type": "bearer"}


@app.get("/users/lookup")
async def lookup(filter: dict[str, Any] = Body(...)):
    cursor = db.users.find(filter, {"username": 1, "email": 1, "_id": 0})
    return await cursor.to_list(length=50)
