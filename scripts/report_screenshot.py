#!/usr/bin/env python3
"""Write a PNG screenshot of `licensecli report` for review, with headless Chromium.

    python scripts/report_screenshot.py --as-of 2025-06-01 -o docs/report.png
    python scripts/report_screenshot.py my-licences/ --size 1400,2400 -o /tmp/report.png

Needs Debian's `chromium` (apt-get install chromium) and, for the Chinese text, a CJK font such as
fonts-noto-cjk (without one Chinese shows as boxes). The report itself is made by this checkout's
licensecli (`python -m licensecli report`), so run it from the project's environment.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(
        description="Write a PNG screenshot of licensecli's HTML report (headless chromium).",
        epilog="Needs chromium and a CJK font (Debian: apt-get install chromium fonts-noto-cjk).",
    )
    parser.add_argument("paths", nargs="*", help="licence files or folders (default: the bundled licence)")
    parser.add_argument("--as-of", metavar="DATE", help="the report's as-of day (YYYY-MM-DD)")
    parser.add_argument("--size", default="1400,1000", metavar="W,H", help="window size (default 1400,1000)")
    parser.add_argument("-o", "--output", required=True, metavar="PNG", help="where to write the PNG")
    args = parser.parse_args()

    target = Path(args.output).resolve()
    if target.is_dir():
        print(f"error: {target} is a folder; give a file name, e.g. {target / 'report.png'}", file=sys.stderr)
        return 1
    if not target.parent.is_dir():
        print(f"error: the folder {target.parent} does not exist", file=sys.stderr)
        return 1
    chromium = shutil.which("chromium")
    if chromium is None:
        print("error: chromium is not installed (Debian: apt-get install chromium)", file=sys.stderr)
        return 1
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False)
    if not fonts.stdout.strip():
        print(
            "warning: no CJK font found; Chinese will show as boxes (apt-get install fonts-noto-cjk)",
            file=sys.stderr,
        )
    with tempfile.TemporaryDirectory() as work:
        page = Path(work) / "report.html"
        command = [sys.executable, "-m", "licensecli", "report", *args.paths, "-o", str(page)]
        if args.as_of:
            command += ["--as-of", args.as_of]
        made = subprocess.run(command, check=False)
        if made.returncode != 0:
            return made.returncode
        shot = subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--force-device-scale-factor=1",
                f"--user-data-dir={Path(work) / 'profile'}",
                f"--window-size={args.size}",
                f"--screenshot={target}",
                page.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if shot.returncode != 0 or not target.is_file():
            print(f"error: chromium failed:\n{shot.stderr[-2000:]}", file=sys.stderr)
            return 1
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
