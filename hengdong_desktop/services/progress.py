"""How long work reports how far it is: `progress(done, total, text)` (total 0 when unknown). The
UI's task runner passes one that raises `Cancelled` once the clerk cancels, so each call is also
where the work may be stopped."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int, str], None]
