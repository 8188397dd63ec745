"""What every route reaches through `request.app.state.web`: the services and settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fastapi import Request
from fastapi.templating import Jinja2Templates

from bot.channels.web.uploads import UploadJobs
from bot.services import CoreServices
from bot.settings import Settings

TEMPLATES = Path(__file__).parent / "templates"


@dataclass
class WebContext:
    services: CoreServices
    settings: Settings
    templates: Jinja2Templates
    uploads: UploadJobs
    extra: dict[str, object] = field(default_factory=dict)


def web(request: Request) -> WebContext:
    context: WebContext = request.app.state.web
    return context
