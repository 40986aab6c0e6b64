from functools import lru_cache

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Secrets come from the environment (or a secrets manager); there are no defaults for them."""

    model_config = SettingsConfigDict(env_prefix="ACME_", env_file=".env", extra="ignore")

    app_name: str = "Acme Billing API"
    database_url: SecretStr
    jwt_secret: SecretStr
    jwt_algorithm: str = "HS256"
    access_token_minutes: int = 30
    sendgrid_api_key: SecretStr


@lru_cache
def get_settings() -> Settings:
    return Settings()


settings = get_settings()
