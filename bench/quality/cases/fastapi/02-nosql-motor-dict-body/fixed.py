from fastapi import FastAPI, HTTPException
from motor.motor_asyncio import AsyncIOMotorClient
from pydantic import BaseModel, EmailStr, Field

from app.security import create_access_token, verify_password

app = FastAPI()
client = AsyncIOMotorClient("mongodb://mongo:27017")
db = client.accounts


class LoginIn(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class LookupIn(BaseModel):
    email: EmailStr


@app.post("/login")
async def login(credentials: LoginIn):
    user = await db.users.find_one({"username": credentials.username})
    if user is None or not verify_password(credentials.password, user["password_hash"]):
        raise HTTPException(status_code=401, detail="Invalid credentials")
    return {"access_token": create_access_token(str(user["_id"])), "token_type": "bearer"}


@app.get("/users/lookup")
async def lookup(query: LookupIn):
    cursor = db.users.find({"email": query.email}, {"username": 1, "email": 1, "_id": 0})
    return await cursor.to_list(length=50)
