"""Messages the workers post to the app (thread-safe: workers never touch widgets)."""

from __future__ import annotations

from attrs import frozen
from textual.message import Message

from tui.session import AuditView


@frozen
class Busy:
    """What the pipeline is doing: a stage name and (done, total) cases."""

    stage: str
    done: int = 0
    total: int = 0


class PipelineProgress(Message):
    def __init__(self, busy: Busy, request: int) -> None:
        super().__init__()
        self.busy = busy
        self.request = request


class AuditReady(Message):
    def __init__(self, view: AuditView, request: int) -> None:
        super().__init__()
        self.view = view
        self.request = request
