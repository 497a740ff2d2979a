"""Moved to `shafa.core.api.permissions` (apps below `shafa.api` may not import it); kept for old imports."""

from shafa.core.api.permissions import PERMISSION_MESSAGE, require_perm

__all__ = ["PERMISSION_MESSAGE", "require_perm"]
