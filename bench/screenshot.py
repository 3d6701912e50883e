"""The README's picture of the review workspace: the sample article translated (pseudo
engine, the project's glossary), served on loopback, shot by Debian's Chromium through
Playwright after one reviewer approved a sentence.

    python bench/screenshot.py [--out docs/workspace.png]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "workspace.png")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from pipeline import translate_articles, write_results
    from pipeline.workspace.app import create_app
    from pipeline.workspace.server import running

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "locales"
        write_results(translate_articles([ROOT / "articles" / "de" / "sora-hollywood.txt"],
                                         targets=["en", "fr"], engine="pseudo",
                                         glossary=ROOT / "glossary"), out)
        with running(create_app(out)) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium,
                                                 args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.route("**/*", lambda route: route.continue_()
                       if "127.0.0.1" in route.request.url else route.abort())
            page.goto(f"{base}/article/sora-hollywood")
            page.fill("#reviewer", "Rita")
            first = page.locator("form.cell.tgt[data-lang='en'] textarea[name=text]").nth(0)
            first.fill("OpenAI takes Sora, its impressive text-to-video model, to Hollywood.")
            first.press("Control+Enter")
            page.locator("form.cell.tgt[data-lang='en'] .status", has_text="reviewed").wait_for()
            page.reload()  # the findings and glossary decisions, checked again after the save
            args.out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.out))
            browser.close()
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
