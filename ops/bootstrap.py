"""Wiring of the operator console: settings, clock and the console's adapters."""

from ops.config import ConsoleSettings
from ops.service_layer.console import Console
from shared.clock import Clock, SystemClock


def bootstrap(settings: ConsoleSettings | None = None, clock: Clock | None = None) -> Console:
    return Console(settings or ConsoleSettings.from_env(), clock or SystemClock())
