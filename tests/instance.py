"""One HubMatch app instance for the multi-instance tests, driven by lines on stdin:
``python -m tests.instance`` (settings from the HUB_* environment, as the app reads them).

It wires the engine exactly as the app does (``hub.ui.resources``: the real encoder, the
instance's own index folder, ``follow`` polling the change log) without the Streamlit page on
top. Commands, one per line; each answer is one line on stdout:

- ``publish <project id>``: a staff decision through the service layer; answers
  ``published <id> <unix time of the commit>``;
- ``wait <project id> <seconds>``: until the project is matchable here (in the catalog, in the
  index, and found by searching for its title); answers ``matchable <id> <unix time>`` or
  ``timeout <id>``.
"""

from __future__ import annotations

import sys
import time

from hub import repository
from hub.actors import SYSTEM
from hub.context import open_encoder, open_hub
from hub.engine import open_engine
from hub.services import Services
from hub.vocab import Status


def main() -> None:
    hub = open_hub()
    engine = open_engine(hub, open_encoder(hub.settings))
    engine.follow(hub.settings.sync_interval)
    services = Services(hub, refresh=engine.catch_up)
    print("ready", flush=True)
    for line in sys.stdin:
        command, *args = line.split()
        if command == "publish":
            services.review(SYSTEM, int(args[0]), Status.PUBLISHED)
            print(f"published {args[0]} {time.time()}", flush=True)
        elif command == "wait":
            print(wait(hub, engine, int(args[0]), float(args[1])), flush=True)


def wait(hub, engine, project: int, seconds: float) -> str:  # type: ignore[no-untyped-def]
    with hub.sessions() as session:
        title = repository.find_project(session, project).title
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        matcher = engine.matcher
        if matcher.projects.position(project) is not None and project in matcher.project_index:
            found = matcher.search_projects(title, top=10)
            if project in [match.id for match in found.items]:
                return f"matchable {project} {time.time()}"
        time.sleep(0.05)
    return f"timeout {project}"


if __name__ == "__main__":
    main()
