from datetime import datetime, timedelta, timezone

import jwt
from openai import AsyncOpenAI
from passlib.context import CryptContext

SECRET_KEY = "b7e4c1f9a2d84e6f93c05a1b8d7e2f4c6a9b0d3e5f7182c4a6b8d0e2f4a6c8e0"
ALGORITHM = "HS256"
ACCESS_TOKEN_EXPIRE_MINUTES = 30

pwd_context = CryptContext(schemes=["argon2"], deprecated="auto")
llm = AsyncOpenAI(api_key="sk-proj-Xq7LmN2pR9sT4vW8yZ1aB3cD5eF6gH0jK2lM4nP6qR8sT0uV2wX4yZ6aB8cD0eF2gH4jT3BlbkFJ")


def create_access_token(subject: str, expires_minutes: int = ACCESS_TOKEN_EXPIRE_MINUTES) -> str:
    expire = datetime.now(timezone.utc) + timedelta(minutes=expires_minutes)
    return jwt.encode({"sub": subject, "exp": expire}, SECRET_KEY, algorithm=ALGORITHM)
