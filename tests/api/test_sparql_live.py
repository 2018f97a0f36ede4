"""A live ``kg serve`` over an on-disk seed store, queried by real SPARQL clients.

Starts ``kg serve --store <tmp store> --port N`` on 127.0.0.1 (a free port) in a subprocess,
waits for ``/health``, queries ``/sparql`` with SPARQLWrapper (GET and POST, SELECT, ASK,
CONSTRUCT, an update refused) and with plain httpx (``Accept: application/sparql-results+json``,
CSV, the time limit), then stops the server and checks that its query workers are gone.
Loopback only.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
from pathlib import Path

import httpx
import pytest

SPARQLWrapper = pytest.importorskip("SPARQLWrapper")

REPORTS = (
    "PREFIX fz: <https://w3id.org/fazhi-kg/ontology#>\n"
    "SELECT ?name ?year WHERE { ?r a fz:Report ; fz:reporterName ?name ; fz:year ?year } "
    "ORDER BY ?name"
)
NAMES = ["保定市", "大河镇", "济宁太白湖新区", "清远市", "盖州市"]
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _kg_command() -> list[str]:
    script = Path(sys.executable).parent / "kg"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from kg.cli import main; sys.exit(main())"]


def _children(pid: int) -> set[int]:
    """Pids whose parent is ``pid`` (from /proc/*/stat)."""
    out: set[int] = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[-1].split()
        except OSError:
            continue
        if len(fields) > 1 and int(fields[1]) == pid:
            out.add(int(stat.parent.name))
    return out


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


@pytest.fixture(scope="module")
def server(seed_store_dir, tmp_path_factory):
    logs = tmp_path_factory.mktemp("serve-logs")
    env = {
        **os.environ,
        "KG_API_SPARQL_TIMEOUT": "1.5",
        "KG_API_SPARQL_MAX_RESULTS": "1000",
        "KG_API_SPARQL_WORKERS": "2",
    }
    for _attempt in range(3):
        port = _free_port()
        out = open(logs / f"serve-{port}.log", "wb")  # noqa: SIM115 - closed below
        cmd = [*_kg_command(), "serve", "--store", str(seed_store_dir), "--host", "127.0.0.1",
               "--port", str(port), "--log-level", "warning"]  # fmt: skip
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        up = False
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                if httpx.get(base + "/health", timeout=2).status_code == 200:
                    up = True
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        if up:
            break
        proc.kill()
        proc.wait(10)
        out.close()
        log = (logs / f"serve-{port}.log").read_text(errors="replace")
        if "address already in use" not in log.lower():
            pytest.fail(f"kg serve did not come up:\n{log[-3000:]}")
    else:
        pytest.fail("kg serve could not find a free port")
    try:
        yield {"base": base, "proc": proc}
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
        out.close()


def _wrapper(server, method: str = "GET"):
    sw = SPARQLWrapper.SPARQLWrapper(server["base"] + "/sparql")
    sw.setMethod(SPARQLWrapper.POST if method == "POST" else SPARQLWrapper.GET)
    sw.setTimeout(30)
    return sw


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select(server, method):
    sw = _wrapper(server, method)
    sw.setQuery(REPORTS)
    sw.setReturnFormat(SPARQLWrapper.JSON)
    res = sw.queryAndConvert()
    assert res["head"]["vars"] == ["name", "year"]
    assert [b["name"]["value"] for b in res["results"]["bindings"]] == NAMES
    assert all(b["year"]["value"].isdigit() for b in res["results"]["bindings"])


def test_sparqlwrapper_csv_ask_construct(server):
    sw = _wrapper(server)
    sw.setQuery(REPORTS)
    sw.setReturnFormat(SPARQLWrapper.CSV)
    text = sw.queryAndConvert().decode("utf-8")
    assert text.splitlines()[0] == "name,year" and "盖州市" in text

    sw = _wrapper(server, "POST")
    sw.setQuery('ASK { ?r <https://w3id.org/fazhi-kg/ontology#reporterName> "盖州市" }')
    sw.setReturnFormat(SPARQLWrapper.JSON)
    assert sw.queryAndConvert()["boolean"] is True

    sw = _wrapper(server)
    sw.setQuery(
        "CONSTRUCT { ?j <http://www.w3.org/2000/01/rdf-schema#label> ?n } WHERE { "
        '?j <https://w3id.org/fazhi-kg/ontology#code> "210881000000" ; '
        "<http://www.w3.org/2000/01/rdf-schema#label> ?n }"
    )
    sw.setReturnFormat(SPARQLWrapper.XML)  # CONSTRUCT as RDF/XML, parsed by rdflib
    graph = sw.queryAndConvert()
    assert {str(o) for o in graph.objects()} == {"盖州市"}
    sw.setReturnFormat(SPARQLWrapper.TURTLE)
    assert "盖州市" in sw.queryAndConvert().decode("utf-8")


def test_sparqlwrapper_errors(server):
    sw = _wrapper(server)
    sw.setQuery("SELECT ?x WHERE { ?x ?y }")
    with pytest.raises(SPARQLWrapper.SPARQLExceptions.QueryBadFormed):
        sw.query()
    sw = _wrapper(server, "POST")
    sw.setQuery('INSERT DATA { <urn:a> <urn:b> "c" }')  # SPARQLWrapper sends it as update=
    with pytest.raises(urllib.error.HTTPError) as info:
        sw.query()
    assert info.value.code == 403


def test_httpx_json_csv_and_time_limit(server):
    base = server["base"]
    with httpx.Client(base_url=base, timeout=30) as c:
        r = c.get("/sparql", params={"query": REPORTS},
                  headers={"Accept": "application/sparql-results+json"})  # fmt: skip
        assert r.status_code == 200
        assert r.headers["content-type"] == "application/sparql-results+json"
        assert [b["name"]["value"] for b in r.json()["results"]["bindings"]] == NAMES

        r = c.post("/sparql", content=REPORTS.encode(),
                   headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"})  # fmt: skip
        assert r.headers["content-type"].startswith("text/csv")
        assert r.text.splitlines()[1] == "保定市,2023"

        before = _children(server["proc"].pid)
        t0 = time.monotonic()
        r = c.get("/sparql", params={"query": ENDLESS})
        assert r.status_code == 504, r.text
        assert time.monotonic() - t0 < 10
        assert "1.5 s" in r.json()["error"]["message"]
        r = c.get("/sparql", params={"query": REPORTS})  # the next query still works
        assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 5
        assert before, "kg serve should run query workers"
        killed = {p for p in before if not _alive(p)}
        assert killed, "the overrunning worker should have been killed"


def test_page_in_a_browser(server):
    """The page served by GET /sparql: an example runs on load and shows its table; a syntax
    error shows the parser's message; CSV shows as text. Skipped without chromium/Playwright."""
    import shutil

    exe = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        pytest.skip("no chromium (set CHROMIUM=/path/to/chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=exe, args=["--headless=new", "--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(server["base"] + "/sparql?example=join")
            assert page.locator("button.example").all_inner_texts()[:3] == [
                "lookup", "aggregation", "join"
            ]  # fmt: skip
            assert page.locator("#query").input_value().startswith("# Join:")
            page.click("#run")
            page.wait_for_function("document.querySelector('#status').textContent.includes('rows')")
            assert page.locator("#out tbody tr").count() > 5
            assert "辽宁省" in page.locator("#out tbody").inner_text()

            page.fill("#query", "SELECT ?x WHERE { ?x ?y }")
            page.click("#run")
            page.wait_for_function("document.querySelector('#status').className === 'error'")
            assert "HTTP 400" in page.locator("#status").inner_text()
            assert "syntax error" in page.locator("#out pre").inner_text()

            page.select_option("#format", "text/csv")
            page.fill("#query", REPORTS)
            page.click("#run")
            page.wait_for_function("document.querySelector('#status').textContent.includes('csv')")
            assert page.locator("#out pre").inner_text().splitlines()[:2] == [
                "name,year",
                "保定市,2023",
            ]
            assert errors == []
        finally:
            browser.close()


def test_server_stops_with_its_workers(server):
    proc = server["proc"]
    workers = _children(proc.pid)
    assert workers, "kg serve should run query workers"
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(20) in (0, -signal.SIGTERM)  # uvicorn re-raises the signal it handled
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(p) for p in workers):
        time.sleep(0.1)
    assert not [p for p in workers if _alive(p)], "query workers outlived the server"
