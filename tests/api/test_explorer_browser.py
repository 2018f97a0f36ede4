"""The explorer page in a real browser: Debian's chromium, headless, driven by Playwright.

The app serves the seed graph with uvicorn on 127.0.0.1 (a free port, in a thread). The test
searches 法律明白人, picks it, expands it, finds 盖州市 among the neighbours, clicks the edge
between them and reads the sentence in the side panel; checks that the CJK web font loaded,
that nothing was fetched from outside the app, that the layout does not move by itself, and the
kind/year filters and collapse. A screenshot goes to tmp_path.

No browser (or no Playwright) -> the test is skipped with the reason, EXCEPT under CI=true,
where it fails: CI must run it (.ci/run installs chromium). Playwright's own browser download
(`playwright install`) is never used: the system chromium is launched by path.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from api.app import create_app
from api.settings import Settings

PROGRAM = "https://w3id.org/fazhi-kg/id/program/fa-lv-ming-bai-ren"
GAIZHOU = "https://w3id.org/fazhi-kg/id/jurisdiction/210881000000"
DAHE = "https://w3id.org/fazhi-kg/id/jurisdiction/520201101000"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but the browser test cannot run: {reason}")
    pytest.skip(reason)


def _chromium() -> str:
    for cand in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                 shutil.which("chromium-browser")):  # fmt: skip
        if cand and Path(cand).is_file() and os.access(cand, os.X_OK):
            return cand
    _unavailable(
        "no chromium found (apt-get install -y chromium, or set CHROMIUM=/path/to/chromium)"
    )
    raise AssertionError  # unreachable


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(seed_store):
    import uvicorn

    port = _free_port()
    app = create_app(Settings(store="memory:", hub_cap=50), store=seed_store)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    exe = _chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[dev]')")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _click_node(page, node_id: str) -> None:
    x, y = page.evaluate(
        """(id) => { const n = explorer.cy.getElementById(id); const p = n.renderedPosition();
                     const r = explorer.cy.container().getBoundingClientRect();
                     return [r.left + p.x, r.top + p.y]; }""",
        node_id,
    )
    page.mouse.click(x, y)


def _positions(page) -> dict[str, tuple[float, float]]:
    pos = page.evaluate(
        """() => { const o = {}; explorer.cy.nodes().forEach(n => {
                     const p = n.position(); o[n.id()] = [p.x, p.y]; }); return o; }"""
    )
    return {k: (round(v[0], 3), round(v[1], 3)) for k, v in pos.items()}


def test_no_browser_skips_except_under_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no chromium"):
        _unavailable("no chromium found")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        _unavailable("no chromium found")


@pytest.mark.slow
def test_explorer_in_chromium(server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1400, "height": 900}, device_scale_factor=1)
    requested: list[str] = []
    outside: list[str] = []
    errors: list[str] = []

    def route(r):
        u = r.request.url
        requested.append(u)
        if u.startswith(server + "/") or u.startswith("data:") or u.startswith("blob:"):
            r.continue_()
        else:
            outside.append(u)
            r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.set_default_timeout(15000)

    page.goto(server + "/explorer")
    page.wait_for_function("() => window.explorer && window.explorer.hasFcose")

    # -- search, suggestions with label and kind, pick
    page.fill("#q", "法律明白人")
    item = page.locator('#suggestions li[data-kind="program"]').first
    item.wait_for(state="visible")
    assert "法律明白人" in item.inner_text() and "program" in item.inner_text()
    item.click()
    page.wait_for_function(f"() => explorer.cy.getElementById({PROGRAM!r}).nonempty()")
    assert page.locator("#details h3").inner_text() == "法律明白人"

    # -- click the node: it expands
    _click_node(page, PROGRAM)
    page.wait_for_function(f"() => explorer.state.expanded.has({PROGRAM!r})")
    page.wait_for_function(f"() => explorer.cy.getElementById({GAIZHOU!r}).nonempty()")
    labels = page.evaluate("() => explorer.cy.nodes().map(n => n.data('label'))")
    assert {"盖州市", "大河镇", "济宁太白湖新区", "全民普法"} <= set(labels)

    # -- the layout is done: nothing moves by itself
    before = _positions(page)
    page.wait_for_timeout(700)
    assert _positions(page) == before

    # -- click the edge 盖州市 -> 法律明白人: the side panel shows its sentence
    edge_id = page.evaluate(
        f"() => explorer.cy.edges().filter(e => e.source().id() === {GAIZHOU!r} "
        f"&& e.target().id() === {PROGRAM!r})[0].id()"
    )
    x, y = page.evaluate(
        """(id) => { const e = explorer.cy.getElementById(id); const p = e.renderedMidpoint();
                     const r = explorer.cy.container().getBoundingClientRect();
                     return [r.left + p.x, r.top + p.y]; }""",
        edge_id,
    )
    page.mouse.click(x, y)
    quote = page.locator("#details blockquote.sentence")
    quote.wait_for(state="visible")
    sentence = quote.inner_text()
    assert "法律明白人" in sentence
    assert page.locator("#details mark").first.inner_text() in sentence
    details = page.locator("#details").inner_text()
    assert "000_4ee9ce8ba8ed3195.txt" in details and "achievements" in details
    assert "盖州市 → 法律明白人" in details

    # -- the CJK web font is loaded and used
    page.evaluate("() => document.fonts.ready.then(() => true)")
    assert page.evaluate("() => document.fonts.check('16px \"Noto Sans SC\"', '盖州市法律明白人')")
    family = page.evaluate(
        "() => getComputedStyle(document.querySelector('#details h3')).fontFamily"
    )
    assert family.startswith('"Noto Sans SC"')
    loaded = page.evaluate(
        """() => Array.from(document.fonts).filter(f => f.family.includes('Noto Sans SC')
                   && f.status === 'loaded').length"""
    )
    assert loaded >= 2  # latin + at least one CJK slice
    assert any(
        "/static/vendor/noto-sans-sc/files/" in u and u.endswith(".woff2") for u in requested
    )

    shot = tmp_path / "explorer.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    if os.environ.get("KG_EXPLORER_SCREENSHOT"):
        shutil.copyfile(shot, os.environ["KG_EXPLORER_SCREENSHOT"])

    # -- filters: the legend hides a kind, the year hides other years' edges
    page.locator('#kinds input[data-kind="jurisdiction"]').uncheck()
    assert page.evaluate(f"() => explorer.cy.getElementById({GAIZHOU!r}).hasClass('hidden')")
    page.locator('#kinds input[data-kind="jurisdiction"]').check()
    assert not page.evaluate(f"() => explorer.cy.getElementById({GAIZHOU!r}).hasClass('hidden')")
    page.select_option("#year", "2022")
    hidden = page.evaluate(
        f"() => [{GAIZHOU!r}, {DAHE!r}].map(id => explorer.cy.getElementById(id).hasClass('hidden'))"
    )
    assert hidden == [True, False]
    page.select_option("#year", "")

    # -- expanding another node keeps every placed node where it was
    before = _positions(page)
    _click_node(page, DAHE)
    page.wait_for_function(f"() => explorer.state.expanded.has({DAHE!r})")
    after = _positions(page)
    assert len(after) > len(before)
    assert {k: after[k] for k in before} == before

    # -- clicking the program again collapses it; nodes another expansion holds stay
    _click_node(page, PROGRAM)
    page.wait_for_function(f"() => !explorer.state.expanded.has({PROGRAM!r})")
    ids = set(page.evaluate("() => explorer.cy.nodes().map(n => n.id())"))
    assert PROGRAM in ids and DAHE in ids and GAIZHOU not in ids

    assert outside == [], f"fetched from outside the app: {outside}"
    assert errors == [], errors
    page.close()
