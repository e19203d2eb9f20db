"""The whole path in a real browser (Debian's Chromium, headless, driven by Playwright) against a real
``formcheck serve`` process: a coach signs up and creates a client, the client uploads a sample clip through
the link from a phone-sized page (upload progress shown), the analysis runs (the real pose model on the
first run; the landmark cache after), the coach opens the flagged rep, overrides a verdict, writes notes and
shares the set, the client opens the share. No console errors anywhere; screenshots in test-artifacts/.
Runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.helpers import CHROMIUM, CHROMIUM_ARGS
from tests.web.support import ARTIFACTS, PASSWORD, SAMPLES, LiveServer, missing

#: Analysed with the real model (its landmarks are not seeded): hip thrust, 3 reps, rep 2 overextended.
E2E_CLIP = SAMPLES / "hip_thrust_portrait_overextension.mp4"


def _playwright():
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        missing(f"{CHROMIUM} not found (install it with: sudo make browser-deps; make test does so when run as root)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed (pip install -e '.[test]')")
    return sync_playwright


@pytest.fixture
def live(tmp_path, database_url, web_cache):
    env = {**os.environ, "FORMCHECK_CACHE": str(web_cache)}
    server = LiveServer(tmp_path / "data", database_url, env)
    (tmp_path / "data").mkdir()
    server.start()
    yield server
    server.stop()


def _watch(page, errors: list[str]) -> None:
    page.on("console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))


def test_coach_and_client_in_a_real_browser(live, database_url):
    sync_playwright = _playwright()
    tag = "pg" if database_url.startswith("postgresql") else "sqlite"
    ARTIFACTS.mkdir(exist_ok=True)
    shot = lambda page, name: page.screenshot(path=str(ARTIFACTS / f"web-{tag}-{name}.png"), full_page=True)  # noqa: E731
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            coach_ctx = browser.new_context(viewport={"width": 1200, "height": 900}, base_url=live.url)
            coach = coach_ctx.new_page()
            _watch(coach, errors)
            # the coach signs up and creates a client with an upload link
            coach.goto("/signup")
            coach.fill("input[name=name]", "Coach Kim")
            coach.fill("input[name=email]", "kim@example.com")
            coach.fill("input[name=password]", PASSWORD)
            coach.click("button[type=submit]")
            coach.wait_for_url(live.url + "/")
            coach.fill("input[name=name]", "Jordan")
            coach.click("#add-client")
            coach.wait_for_selector("h1:has-text('Jordan')")
            coach.click("#new-link")
            link = coach.locator("input.linkurl").first.input_value()
            assert "/u/" in link and len(link.rsplit("/", 1)[1]) >= 40

            # the client, on a phone-sized page, uploads a clip through the link; the upload is throttled so
            # that the progress bar is seen between 0 and 100 %
            phone_ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
            phone = phone_ctx.new_page()
            _watch(phone, errors)
            phone.goto(link)
            cdp = phone_ctx.new_cdp_session(phone)
            cdp.send("Network.enable")
            cdp.send(
                "Network.emulateNetworkConditions",
                {"offline": False, "latency": 20, "downloadThroughput": -1, "uploadThroughput": 64 * 1024},
            )
            phone.select_option("select[name=lift]", "auto")
            phone.fill("textarea[name=note]", "Felt my back arch on rep 2")
            phone.set_input_files("input[name=video]", str(E2E_CLIP))
            phone.click("#send")
            phone.wait_for_function(
                "() => { const p = document.querySelector('#upload-progress');"
                " return !p.hidden && p.value > 0 && p.value < 100; }",
                timeout=30_000,
            )
            shot(phone, "1-upload-progress")
            phone.wait_for_selector("#upload-message.ok", timeout=60_000)
            assert phone.locator("#upload-progress").evaluate("p => p.value") == 100
            cdp.send(
                "Network.emulateNetworkConditions",
                {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
            )
            phone.wait_for_selector("#uploads .status.done", timeout=180_000)  # live status, polled by the page
            shot(phone, "2-uploaded")

            # the coach opens the set, then the flagged rep
            coach.goto(coach.url.replace("#links", ""))
            coach.reload()
            coach.click("#sets a")
            coach.wait_for_selector("#player", timeout=60_000)
            flagged = coach.locator("article.rep.warn, article.rep.fault").first
            rep = int(flagged.get_attribute("data-rep"))
            start = float(flagged.get_attribute("data-t"))
            flagged.locator("button.seek").click()
            coach.wait_for_function(f"() => Math.abs(document.getElementById('video').currentTime - {start}) < 1.0")
            coach.evaluate("document.getElementById('video').pause()")
            assert coach.locator(f"#timeline rect.rep.active[data-rep='{rep}']").count() == 1
            # keyboard: frame step and slow motion
            before = coach.evaluate("document.getElementById('video').currentTime")
            coach.keyboard.press(".")
            coach.wait_for_function(f"() => document.getElementById('video').currentTime > {before}")
            coach.keyboard.press("s")
            assert coach.evaluate("document.getElementById('video').playbackRate") == 0.25
            coach.keyboard.press("n")  # next rep
            nxt = rep + 1 if coach.locator(f"#rep-{rep + 1}").count() else rep
            coach.wait_for_selector(f"#timeline rect.rep.active[data-rep='{nxt}']")
            coach.keyboard.press("p")  # and back
            coach.wait_for_selector(f"#timeline rect.rep.active[data-rep='{rep}']")
            coach.evaluate("document.getElementById('video').pause()")
            shot(coach, "3-review")
            coach.locator(f"#rep-{rep}").scroll_into_view_if_needed()
            coach.evaluate("window.scrollTo(0, document.querySelector('.summary').offsetTop - 10)")
            coach.screenshot(path=str(ARTIFACTS / f"web-{tag}-review-view.png"))  # the README's picture

            # override the flagged finding, keep the original beside it
            finding = flagged.locator("li.finding.warn, li.finding.fault").first
            rule = finding.get_attribute("data-rule")
            finding.locator("select[name=verdict]").select_option("pass")
            finding.locator("input[name=reason]").fill("Ribs stayed down, camera angle")
            finding.locator("button[type=submit]").click()
            coach.wait_for_selector(f"#rep-{rep} li.finding.overridden[data-rule='{rule}']")
            assert "overridden by the coach" in coach.locator(f"#rep-{rep}").inner_text()
            coach.fill(f"#rep-{rep} textarea[name=text]", "Squeeze the glutes at the top, do not lean back.")
            coach.click(f"#rep-{rep} .note-form button")
            coach.wait_for_selector(f"#rep-{rep} textarea:has-text('Squeeze the glutes')")
            coach.fill("#set-note textarea[name=text]", "Solid set. Film a little lower next time.")
            coach.click("#set-note .note-form button")
            coach.click("#make-share")
            share = coach.locator("input.share-url").first.input_value()
            assert "/s/" in share
            shot(coach, "4-reviewed")
            coach.click("#compare-link")
            coach.wait_for_selector("#compare")
            coach.click("#compare-play")
            coach.wait_for_function("() => !document.getElementById('video-a').paused")
            shot(coach, "5-compare")
            # synchronised at the bottom and the lockout: the right rep is there when the left one is
            a = [float(v) for v in coach.get_attribute("#compare", "data-a").split(",")]
            b = [float(v) for v in coach.get_attribute("#compare", "data-b").split(",")]
            coach.evaluate("document.getElementById('video-a').pause()")
            for k in (1, 2):  # bottom, lockout
                coach.evaluate("t => { document.getElementById('video-a').currentTime = t; }", a[k])
                coach.wait_for_function(
                    "t => Math.abs(document.getElementById('video-b').currentTime - t) < 0.05", arg=b[k], timeout=10_000
                )

            # the client opens the share: notes and the overridden verdict, nothing to edit
            phone.goto(share)
            phone.wait_for_selector(f"#rep-{rep}")
            text = phone.locator("main").inner_text()
            assert "Squeeze the glutes at the top" in text and "Solid set." in text
            assert "overridden by the coach" in text
            assert phone.locator("main form").count() == 0
            phone.locator("button.seek").first.click()
            shot(phone, "6-shared")
            assert not errors, errors
        finally:
            browser.close()
