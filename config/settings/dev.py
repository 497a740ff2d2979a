"""Embedded default for `make run`: SQLite, in-process jobs, DEBUG on loopback only."""

from .base import *  # noqa: F403
from .env import env_bool

DEBUG = env_bool("DEBUG", True)
