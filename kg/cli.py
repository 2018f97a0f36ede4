"""The ``kg`` command line: a thin layer over library functions.

    kg extract PATH... [--manifest FILE] [--format jsonl]
    kg build PATH... [--manifest FILE] [--store PATH]
    kg stats [--format table|json]
    kg query SPARQL|@FILE [--format table|json|csv]
    kg export --format ttl|nq|trig|jsonld|csv [--output FILE]
    kg validate
    kg eval [--details] [--format table|json]
    kg serve [--host 127.0.0.1] [--port 8000]
    kg programs list | candidates | promote LABEL [--category C] | alias PROGRAM ALIAS
    kg curate reporter REPORT (--code CODE | --name NAME) [--department D] [--year Y]
    kg curate suppress REPORT --kind KIND --label LABEL
    kg curate list

Every command that reads or writes the graph takes ``--store PATH`` (default ``$KG_STORE``,
else ``data/kg`` under the project root). Exit status: 0 success, 1 some input failed or the
graph does not validate, 2 usage or store errors.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

__all__ = ["main"]


def _out(line: str = "") -> None:
    sys.stdout.write(line + "\n")


def _err(line: str) -> None:
    sys.stderr.write(line + "\n")


# --------------------------------------------------------------------------- commands


def cmd_extract(args: argparse.Namespace) -> int:
    from kg.extract import process, to_jsonl

    failed = 0
    for item in process(args.paths, args.manifest):
        _out(to_jsonl(item))
        if not item.ok:
            failed += 1
            for e in item.errors:
                _err(f"error: {e}")
    sys.stdout.flush()
    return 1 if failed else 0


def cmd_build(args: argparse.Namespace) -> int:
    from kg.build import build

    summary = build(args.paths, args.manifest, args.store, progress=not args.no_progress)
    for e in summary.errors:
        _err(f"error: {e}")
    _out(f"build {summary.build_id}: {summary.line()}")
    return 1 if summary.failed else 0


def cmd_stats(args: argparse.Namespace) -> int:
    from kg.queries import stats
    from kg.storage import open_store

    with open_store(args.store, read_only=True) as store:
        st = stats(store)
    if args.format == "json":
        _out(json.dumps(st, ensure_ascii=False, indent=2))
        return 0
    _out(f"store: {st['store']}")
    _out(f"reports: {st['reports']} ({st['canonical_reports']} canonical)   quads: {st['quads']}")
    _out(
        "facts: " + ", ".join(f"{k} {v}" for k, v in st["facts"].items())
        if st["facts"]
        else "facts: 0"
    )
    rows = [
        [r["id"], r["reporter"] or "?", r["code"] or "-", r["level"] or "-", r["department"] or "-",
         str(r["year"] or "-"), r["published"] or "-", r["signed"] or "-", r["duplicate_of"] or "-"]
        for r in st["report_rows"]
    ]  # fmt: skip
    _print_table(
        [
            "report",
            "reporter",
            "code",
            "level",
            "department",
            "year",
            "published",
            "signed",
            "duplicate_of",
        ],
        rows,
    )
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    from kg.queries import run_select
    from kg.storage import open_store

    text = args.sparql
    if text.startswith("@"):
        text = Path(text[1:]).read_text(encoding="utf-8")
    with open_store(args.store, read_only=True) as store:
        try:
            variables, rows = run_select(store, text)
        except SyntaxError as exc:
            _err(f"error: SPARQL syntax: {exc}")
            return 2
    if args.format == "json":
        _out(
            json.dumps(
                [dict(zip(variables, r, strict=True)) for r in rows], ensure_ascii=False, indent=1
            )
        )
    elif args.format == "csv":
        w = csv.writer(sys.stdout)
        w.writerow(variables)
        w.writerows(rows)
    else:
        _print_table(variables, [[("" if v is None else str(v)) for v in r] for r in rows])
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from kg.storage import open_store

    with open_store(args.store, read_only=True) as store:
        if args.format == "csv":
            from kg.queries import write_facts_csv

            if args.output:
                with open(args.output, "w", encoding="utf-8", newline="") as fh:
                    n = write_facts_csv(store, fh)
                _err(f"wrote {n} facts to {args.output}")
            else:
                write_facts_csv(store, sys.stdout)
            return 0
        if args.output:
            with open(args.output, "wb") as fh:
                store.dump(fh, args.format)
            _err(f"wrote {args.output}")
        else:
            store.dump(sys.stdout.buffer, args.format)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from kg.storage import open_store
    from kg.validate import validate_store

    with open_store(args.store, read_only=True) as store:
        conforms, report = validate_store(store)
    _out(report)
    return 0 if conforms else 1


def cmd_curate(args: argparse.Namespace) -> int:
    from kg.curation import Curation

    cur = Curation(Path(args.file) if args.file else None)
    if args.action == "list":
        for d in cur.decisions:
            _out(json.dumps(d, ensure_ascii=False))
        for e in cur.errors:
            _err(f"error: {e}")
        return 1 if cur.errors else 0
    if args.action == "reporter":
        if not (args.code or args.name or args.department is not None or args.year):
            _err("error: curate reporter needs --code, --name, --department or --year")
            return 2
        if args.code:
            from kg.gazetteer import load

            if load().get(args.code) is None:
                _err(f"error: unknown division code {args.code!r} (6-, 9- or 12-digit NBS code)")
                return 2
        decision = {"op": "reporter", "report": args.report}
        for k in ("code", "name", "department", "year", "note"):
            v = getattr(args, k, None)
            if v is not None:
                decision[k] = v
    else:  # suppress
        decision = {"op": "suppress", "report": args.report, "kind": args.kind, "label": args.label}
    return _store_decision(cur, lambda: cur.add(decision))


def cmd_programs(args: argparse.Namespace) -> int:
    from kg import programs as prog
    from kg.curation import Curation

    cur = Curation(Path(args.file) if args.file else None)
    if args.action == "list":
        rows = [[p["id"].rsplit("/", 1)[-1], p["label"], p.get("category") or "-", str(len(p.get("aliases") or []))]
                for p in prog.program_list(cur)]  # fmt: skip
        _print_table(["slug", "label", "category", "aliases"], rows)
        return 0
    if args.action == "candidates":
        from kg.storage import open_store

        with open_store(args.store, read_only=True) as store:
            cands = prog.candidates_from_store(
                store, limit=args.limit, min_reports=args.min_reports
            )
        if args.format == "json":
            _out(json.dumps(cands, ensure_ascii=False, indent=1))
        else:
            rows = [[c["slug"], c["label"] or "", str(c["reports"]), str(c["frequency"]),
                     (c["evidence"][0][:60] if c["evidence"] else "")] for c in cands]  # fmt: skip
            _print_table(["slug", "label", "reports", "mentions", "evidence"], rows)
        return 0

    def decide() -> dict:
        if args.action == "promote":
            return prog.promote(
                args.candidate, pref=args.pref, category=args.category, curation=cur, en=args.en
            )
        return prog.add_alias(args.program, args.alias, curation=cur)

    return _store_decision(cur, decide)


def _store_decision(cur, decide) -> int:
    """Run ``decide()`` (which appends to the curation overlay) and report where it went."""
    from kg.curation import CurationError

    try:
        d = decide()
    except CurationError as exc:
        _err(f"error: {exc}")
        return 2
    _out(f"stored in {cur.path}: {json.dumps(d, ensure_ascii=False)}")
    _out("the next `kg build` applies it")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from api.app import create_app
    from api.settings import Settings

    settings = Settings(store=args.store) if args.store else Settings()
    app = create_app(settings)
    _err(f"serving {app.state.store!r} on http://{args.host}:{args.port} (docs at /docs)")
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from kg.eval import evaluate
    from kg.settings import PROJECT_ROOT

    expected = Path(args.expected or PROJECT_ROOT / "tests/data/expected_facts")
    texts = (
        [Path(t) for t in args.texts]
        if args.texts
        else [PROJECT_ROOT / "seeds", PROJECT_ROOT / "tests/data/corpus"]
    )
    manifest = (
        Path(args.manifest) if args.manifest else PROJECT_ROOT / "tests/data/corpus/SOURCES.tsv"
    )
    res = evaluate(expected, texts, manifest if manifest.exists() else None)
    if args.format == "json":
        if not args.details:
            for f in res["per_file"]:
                f.pop("details", None)
        _out(json.dumps(res, ensure_ascii=False, indent=1))
        return 0
    _out(f"{res['files']} annotated files")
    rows = []
    for kind in ("program", "agency", "document", "metric"):
        k = res[kind]
        rows.append([kind, f"{k['precision']:.3f}", f"{k['recall']:.3f}", f"{k['f1']:.3f}",
                     f"{k['right']}/{k['counted']}", f"{k['found']}/{k['expected']}"])  # fmt: skip
    _print_table(["kind", "precision", "recall", "F1", "right/groups", "found/expected"], rows)
    _out(
        f"document role accuracy: {res['document_role']}   metric subject accuracy: {res['metric_subject']}"
    )
    _out(
        f"reporter accuracy: {res['reporter']}   year accuracy: {res['year']}   offsets reproduce mentions: {res['offsets_ok']}"
    )
    if args.details:
        for f in res["per_file"]:
            _out(f"\n== {f['source']}")
            for kind, notes in f["details"].items():
                for what, item in notes:
                    _out(f"  {kind:8} {what:8} {item}")
    return 0


# --------------------------------------------------------------------------- helpers


def _print_table(header: list[str], rows: list[list[str]]) -> None:
    from unicodedata import east_asian_width

    def width(s: str) -> int:
        return sum(2 if east_asian_width(c) in "WF" else 1 for c in s)

    cols = [max([width(h)] + [width(r[i]) for r in rows]) for i, h in enumerate(header)]

    def fmt(cells: list[str]) -> str:
        return "  ".join(
            c + " " * (w - width(c)) for c, w in zip(cells, cols, strict=True)
        ).rstrip()

    _out(fmt(header))
    _out("  ".join("-" * w for w in cols))
    for r in rows:
        _out(fmt(r))
    _out(f"({len(rows)} rows)")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="kg", description="fazhi-kg: build and query the 法治政府建设 knowledge graph"
    )
    sub = p.add_subparsers(dest="command", required=True)

    def store_opt(sp: argparse.ArgumentParser) -> None:
        sp.add_argument(
            "--store", help="store directory (default $KG_STORE, else data/kg under the project)"
        )

    sp = sub.add_parser("extract", help="print one JSON object per input file (JSON Lines)")
    sp.add_argument("paths", nargs="+")
    sp.add_argument("--manifest", help="TSV/CSV with path and url columns")
    sp.add_argument("--format", choices=["jsonl"], default="jsonl")
    sp.set_defaults(fn=cmd_extract)

    sp = sub.add_parser("build", help="build files or folders into the store")
    sp.add_argument("paths", nargs="+")
    sp.add_argument("--manifest")
    sp.add_argument("--no-progress", action="store_true", help="no progress bar")
    store_opt(sp)
    sp.set_defaults(fn=cmd_build)

    sp = sub.add_parser("stats", help="reports, reporters, years and counts in the store")
    sp.add_argument("--format", choices=["table", "json"], default="table")
    store_opt(sp)
    sp.set_defaults(fn=cmd_stats)

    sp = sub.add_parser("query", help="run a SPARQL SELECT/ASK over the union of all graphs")
    sp.add_argument("sparql", help="the query, or @FILE")
    sp.add_argument("--format", choices=["table", "json", "csv"], default="table")
    store_opt(sp)
    sp.set_defaults(fn=cmd_query)

    sp = sub.add_parser("export", help="dump the whole dataset, or the facts as CSV")
    sp.add_argument(
        "--format",
        choices=["ttl", "nq", "trig", "jsonld", "csv"],
        default="nq",
        help="csv: one row per fact with its sentence and source URL",
    )
    sp.add_argument("--output", "-o")
    store_opt(sp)
    sp.set_defaults(fn=cmd_export)

    sp = sub.add_parser(
        "validate", help="SHACL-validate the stored graph against ontology/shapes.ttl"
    )
    store_opt(sp)
    sp.set_defaults(fn=cmd_validate)

    sp = sub.add_parser("serve", help="serve the query API and the explorer (uvicorn)")
    sp.add_argument("--host", default="127.0.0.1")
    sp.add_argument("--port", type=int, default=8000)
    sp.add_argument("--log-level", default="info")
    store_opt(sp)
    sp.set_defaults(fn=cmd_serve)

    sp = sub.add_parser("programs", help="the program thesaurus: list, candidates, promote, alias")
    sp.add_argument("--file", help="curation overlay (default data/curation/decisions.jsonl)")
    psub = sp.add_subparsers(dest="action", required=True)
    psub.add_parser("list", help="curated programs (thesaurus + promoted)")
    c = psub.add_parser(
        "candidates", help="candidate programs in the store, with frequency and evidence"
    )
    c.add_argument("--limit", type=int)
    c.add_argument("--min-reports", type=int, default=1)
    c.add_argument("--format", choices=["table", "json"], default="table")
    store_opt(c)
    c = psub.add_parser("promote", help="make a candidate a curated program")
    c.add_argument("candidate", help="the candidate's label (or slug with --pref)")
    c.add_argument("--pref", help="the curated name (default: the candidate's label)")
    c.add_argument("--category")
    c.add_argument("--en", help="English label")
    c = psub.add_parser("alias", help="add an alias to a curated program")
    c.add_argument("program", help="program id, slug or name")
    c.add_argument("alias")
    sp.set_defaults(fn=cmd_programs)

    sp = sub.add_parser("eval", help="score extraction against hand-made expected facts (FACTS.md)")
    sp.add_argument(
        "--expected", help="folder of expected-facts JSON (default tests/data/expected_facts)"
    )
    sp.add_argument(
        "--texts",
        nargs="+",
        help="folders holding the texts (default seeds/ and tests/data/corpus/)",
    )
    sp.add_argument(
        "--manifest", help="manifest for the texts (default tests/data/corpus/SOURCES.tsv)"
    )
    sp.add_argument("--format", choices=["table", "json"], default="table")
    sp.add_argument("--details", action="store_true", help="list wrong and missed items per file")
    sp.set_defaults(fn=cmd_eval)

    sp = sub.add_parser("curate", help="human decisions kept in the curation overlay")
    sp.add_argument("--file", help="overlay file (default data/curation/decisions.jsonl)")
    csub = sp.add_subparsers(dest="action", required=True)
    c = csub.add_parser("reporter", help="fix a report's reporter")
    c.add_argument("report", help="report id or source path")
    c.add_argument("--code", help="division code (6, 9 or 12 digits)")
    c.add_argument("--name")
    c.add_argument("--department")
    c.add_argument("--year", type=int)
    c.add_argument("--note")
    c = csub.add_parser("suppress", help="suppress a false fact")
    c.add_argument("report")
    c.add_argument("--kind", required=True, choices=["program", "agency", "document", "metric"])
    c.add_argument("--label", required=True)
    csub.add_parser("list", help="print the stored decisions")
    sp.set_defaults(fn=cmd_curate)
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.fn(args)
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except BrokenPipeError:  # `kg stats | head`: the reader left; not an error of ours
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (OSError, RuntimeError) as exc:
        _err(f"error: {exc}")
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
