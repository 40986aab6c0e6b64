from functools import lru_cache

from pydantic import BaseModel


class Settings(BaseModel):
    app_name: str = "Acme Billing API"
    database_url: str = "postgresql+asyncpg://billing:Xq7!vR2p9LmZ4tWk@db.internal.acme.dev:5432/billing"
    jwt_secret: str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    jwt_algorithm: str = "HS256"
    access_token_minutes: int = 30
    sendgrid_api_key: str = "SG.k3JfP9xQ2mVtRw8Y.bN4cH7sLzE1aUo6GdKqTyXv0WiM5rJpF2nAeB9gCkDs"


@lru_cache
def get_settings() -> Settings:
    return Settings()


settings = get_settings()
