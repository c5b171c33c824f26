"""How long the app takes to show its first page, measured in a real browser.

    python benchmarks/app_start.py [--restarts 5] [--output benchmarks/APP_START.md]

Starts ``streamlit run streamlit_app.py`` on a fresh data folder (no database, no index, no
embedding cache) and times, from launching the process, until the home page's headline figures
are visible in Debian's chromium driven by Playwright: once for the first start (demo data, indexes
and explanation sentences are built, with progress bars), then for each later start on the same
folder. Needs requirements-dev.txt and ``chromium`` (apt). The browser tests use :func:`serve`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync",
]  # fmt: skip
TARGET_WARM_S = 5.0


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serve(
    data_dir: Path, *, timeout_s: float = 120, demo_mode: bool = True, database_url: str | None = None
) -> Iterator[str]:
    """A real Streamlit server over ``data_dir`` and ``database_url`` (default: SQLite inside the
    folder); yields its URL once healthy. ``demo_mode`` as for the embedded demo database (act as
    demo accounts) or not (sign in)."""
    port = _free_port()
    env = {
        **os.environ,
        "HUB_DATABASE_URL": database_url or f"sqlite:///{data_dir / 'hub.db'}",
        "HUB_DATA_DIR": str(data_dir),
        "HUB_DEMO_MODE": "true" if demo_mode else "false",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.read() == b"ok":
                        break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("streamlit did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


@dataclass(frozen=True)
class Start:
    server_s: float  # launch -> health endpoint answers
    page_s: float  # launch -> the home page's headline figures visible
    progress_seen: bool  # a progress bar was on screen before the page


def time_start(browser: object, data_dir: Path, timeout_ms: int = 300_000) -> Start:
    """One start of the app: launch the server, open the home page, wait for its figures."""
    began = time.perf_counter()
    with serve(data_dir, timeout_s=timeout_ms / 1000) as url:
        server_s = time.perf_counter() - began
        context = browser.new_context(viewport={"width": 1440, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(timeout_ms)
        page.goto(url)
        progress_seen = False
        # the home page's headline figures: the first-start page has the HubMatch heading too
        figures = page.locator('[data-testid="stMetricValue"]').first
        while not figures.is_visible():
            progress_seen = progress_seen or page.locator('[data-testid="stProgress"]').count() > 0
            if time.perf_counter() - began > timeout_ms / 1000:
                raise TimeoutError("the home page did not appear")
            page.wait_for_timeout(50)
        page_s = time.perf_counter() - began
        context.close()
    return Start(server_s, page_s, progress_seen)


def report(first: Start, later: list[Start]) -> str:
    pages = [s.page_s for s in later]
    servers = [s.server_s for s in later]
    median = statistics.median(pages)
    lines = [
        "# App start-up",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores with "
        "`python benchmarks/app_start.py`: launch of `streamlit run` until the home page's headline "
        "figures are visible in headless chromium (Playwright).",
        "",
        "| start | server up (s) | first page (s) | progress bar shown |",
        "|---|---:|---:|---|",
        f"| first (empty machine: demo data, indexes, sentences) | {first.server_s:.1f} | "
        f"{first.page_s:.1f} | {'yes' if first.progress_seen else 'no'} |",
        *(
            f"| later #{n} | {s.server_s:.1f} | {s.page_s:.1f} | {'yes' if s.progress_seen else 'no'} |"
            for n, s in enumerate(later, start=1)
        ),
        "",
        f"Later starts: median **{median:.1f} s** to the first page (min {min(pages):.1f}, "
        f"max {max(pages):.1f}; server up in {statistics.median(servers):.1f} s median); "
        f"target ≤ {TARGET_WARM_S:.0f} s: **{'met' if median <= TARGET_WARM_S else 'missed'}**. "
        f"First start / later start = {first.page_s / median:.0f}×.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--restarts", type=int, default=5, help="later starts to time (default 5)")
    parser.add_argument("--output", type=Path, help="also write the report to this Markdown file")
    args = parser.parse_args(argv)
    executable = chromium()
    if executable is None:
        print("chromium is not installed: apt-get install chromium", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="hubmatch-start-") as folder, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        data_dir = Path(folder) / "data"
        data_dir.mkdir()
        first = time_start(browser, data_dir)
        print(f"first start: {first.page_s:.1f} s", flush=True)
        later = []
        for n in range(1, args.restarts + 1):
            later.append(time_start(browser, data_dir))
            print(f"later start #{n}: {later[-1].page_s:.1f} s", flush=True)
        browser.close()
    text = report(first, later)
    print(text)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
