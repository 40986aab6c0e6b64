from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env")

    database_url: str = "postgresql+psycopg://app:app@localhost:5432/app"
    jwt_secret: str
    jwt_ttl_minutes: int = 30


settings = Settings()
