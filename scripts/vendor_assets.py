#!/usr/bin/env python3
"""Copy the graph explorer's front-end files from node_modules into api/static/vendor/.

The vendored files are COMMITTED, so ``make install`` needs no npm; package.json and
package-lock.json record where they came from. To update them (a new cytoscape, another font
weight): edit package.json, then

    npm install --ignore-scripts          # or: npm ci --ignore-scripts (uses package-lock.json)
    .venv/bin/python scripts/vendor_assets.py
    rm -rf node_modules

``--npm`` runs ``npm ci --ignore-scripts`` first when node_modules is missing. ``--check``
only verifies that every vendored file listed in api/static/vendor/MANIFEST.json exists with
its recorded size and sha256 (no npm needed; the test suite does the same).

What is copied:

- cytoscape (dist/cytoscape.min.js), cytoscape-fcose with its dependencies cose-base and
  layout-base (UMD builds that register as globals), each with its LICENSE;
- @fontsource/noto-sans-sc, weight 400: the latin subset and those unicode-range slices that
  hold a character of GB 2312 (its 6,763 common simplified characters and punctuation) or of the
  project's own data (gazetteer names, thesaurus, seed and corpus texts), so that every place
  name in the gazetteer renders; ``noto-sans-sc.css`` is written with one ``@font-face`` per
  slice (its ``unicode-range`` kept, so a browser downloads only the slices a page uses), plus
  the OFL licence.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VENDOR = ROOT / "api" / "static" / "vendor"
FONT_PKG = "@fontsource/noto-sans-sc"
FONT_WEIGHT = 400

# package -> (files to copy, relative to the package; destination folder under vendor/)
SCRIPTS = {
    "cytoscape": (["dist/cytoscape.min.js", "LICENSE"], "cytoscape"),
    "layout-base": (["layout-base.js", "LICENSE"], "layout-base"),
    "cose-base": (["cose-base.js", "LICENSE"], "cose-base"),
    "cytoscape-fcose": (["cytoscape-fcose.js", "LICENSE"], "cytoscape-fcose"),
}


def gb2312_chars() -> set[int]:
    """GB 2312: its punctuation (row 0xA1), full-width forms (0xA3) and 6,763 hanzi (0xB0-0xF7)."""
    out: set[int] = set()
    for hi in (0xA1, 0xA3, *range(0xB0, 0xF8)):
        for lo in range(0xA1, 0xFF):
            try:
                ch = bytes((hi, lo)).decode("gb2312")
            except UnicodeDecodeError:
                continue
            out.add(ord(ch))
    return out


def project_chars() -> set[int]:
    """Characters of the project's own data: gazetteer, thesaurus, seeds, test corpus."""
    texts: list[str] = []
    gz = ROOT / "kg" / "data" / "gazetteer.tsv.gz"
    if gz.exists():
        texts.append(gzip.open(gz, "rt", encoding="utf-8").read())
    for pattern in (
        "kg/data/*.tsv",
        "ontology/*.ttl",
        "extractors/data/*",
        "seeds/*.txt",
        "tests/data/corpus/*.txt",
    ):
        for p in sorted(ROOT.glob(pattern)):
            if p.is_file():
                texts.append(p.read_text(encoding="utf-8", errors="ignore"))
    return {ord(c) for t in texts for c in t if ord(c) >= 0x2E80}


def parse_ranges(text: str) -> list[tuple[int, int]]:
    out = []
    for part in text.split(","):
        part = part.strip().upper().removeprefix("U+")
        if "-" in part:
            a, b = part.split("-")
            out.append((int(a, 16), int(b, 16)))
        elif "?" in part:
            out.append((int(part.replace("?", "0"), 16), int(part.replace("?", "F"), 16)))
        elif part:
            out.append((int(part, 16), int(part, 16)))
    return out


def font_faces(css: str) -> list[dict[str, str]]:
    """The ``@font-face`` rules of a fontsource CSS file: name, woff2 file, unicode-range."""
    faces = []
    for m in re.finditer(r"/\* (?P<name>[^*]+?) \*/\s*@font-face\s*\{(?P<body>[^}]*)\}", css):
        body = m.group("body")
        woff2 = re.search(r"url\(\./files/([^)]+\.woff2)\)", body)
        rng = re.search(r"unicode-range:\s*([^;]+);", body)
        if woff2:
            faces.append(
                {
                    "name": m.group("name").strip(),
                    "file": woff2.group(1),
                    "range": rng.group(1).strip() if rng else "",
                }
            )
    return faces


def pick_faces(faces: list[dict[str, str]], wanted: set[int]) -> list[dict[str, str]]:
    picked = []
    for f in faces:
        if f["name"].endswith(f"latin-{FONT_WEIGHT}-normal") and "ext" not in f["name"]:
            picked.append(f)
            continue
        if not re.search(r"-\[\d+\]-", f["name"]):  # numbered CJK slices only
            continue
        for a, b in parse_ranges(f["range"]):
            if any(a <= c <= b for c in wanted):
                picked.append(f)
                break
    return picked


def pkg_meta(name: str) -> dict[str, str]:
    data = json.loads((NODE_MODULES / name / "package.json").read_text(encoding="utf-8"))
    lic = data.get("license")
    if isinstance(lic, dict):
        lic = lic.get("type")
    return {"name": name, "version": data["version"], "license": str(lic)}


def sha256(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def vendor() -> None:
    if VENDOR.exists():
        shutil.rmtree(VENDOR)
    VENDOR.mkdir(parents=True)
    metas = []
    for pkg, (files, dest) in SCRIPTS.items():
        metas.append(pkg_meta(pkg) | {"files": dest + "/"})
        for f in files:
            src = NODE_MODULES / pkg / f
            (VENDOR / dest).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, VENDOR / dest / Path(f).name)

    font_dir = NODE_MODULES / FONT_PKG
    css = (font_dir / f"{FONT_WEIGHT}.css").read_text(encoding="utf-8")
    wanted = gb2312_chars() | project_chars()
    faces = pick_faces(font_faces(css), wanted)
    out_dir = VENDOR / "noto-sans-sc"
    (out_dir / "files").mkdir(parents=True)
    rules = [
        f"/* {FONT_PKG} {pkg_meta(FONT_PKG)['version']}, weight {FONT_WEIGHT}: the latin subset "
        f"and the {len(faces) - 1} unicode-range slices holding GB 2312 and the project's "
        "characters (scripts/vendor_assets.py). SIL Open Font License 1.1 (LICENSE). */"
    ]
    for f in faces:
        shutil.copyfile(font_dir / "files" / f["file"], out_dir / "files" / f["file"])
        rng = f"\n  unicode-range: {f['range']};" if f["range"] else ""
        rules.append(
            "@font-face {\n  font-family: 'Noto Sans SC';\n  font-style: normal;\n"
            f"  font-display: swap;\n  font-weight: {FONT_WEIGHT};\n"
            f"  src: url(./files/{f['file']}) format('woff2');{rng}\n}}"
        )
    (out_dir / "noto-sans-sc.css").write_text("\n".join(rules) + "\n", encoding="utf-8")
    shutil.copyfile(font_dir / "LICENSE", out_dir / "LICENSE")
    metas.append(pkg_meta(FONT_PKG) | {"files": "noto-sans-sc/"})

    manifest = {}
    for p in sorted(VENDOR.rglob("*")):
        if p.is_file():
            rel = p.relative_to(VENDOR).as_posix()
            manifest[rel] = {"size": p.stat().st_size, "sha256": sha256(p)}
    total = sum(v["size"] for v in manifest.values())
    (VENDOR / "MANIFEST.json").write_text(
        json.dumps({"packages": metas, "files": manifest}, indent=1, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    write_readme(metas, len(faces), total)
    print(f"vendored {len(manifest)} files, {total / 1e6:.2f} MB into {VENDOR.relative_to(ROOT)}")


def write_readme(metas: list[dict[str, str]], n_faces: int, total: int) -> None:
    rows = "\n".join(
        f"| {m['name']} | {m['version']} | {m['license']} | `{m['files']}` |" for m in metas
    )
    text = f"""# Vendored front-end files of the graph explorer

Copied from npm packages by `scripts/vendor_assets.py` (versions pinned in the repository's
`package.json` / `package-lock.json`) and committed, so that installing the project needs no
npm and the page `/explorer` fetches nothing from the internet. Served under `/static/vendor/`.

| package | version | licence | here |
|---|---|---|---|
{rows}

Each folder holds the package's LICENSE. The font: Noto Sans SC (weight 400) from Fontsource,
{n_faces} `@font-face` rules (the latin subset and the unicode-range slices that hold GB 2312's
characters and every character of the gazetteer, thesaurus, seeds and test corpus; a browser
downloads only the slices a page needs) in `noto-sans-sc/noto-sans-sc.css`.
Total {total / 1e6:.2f} MB. `MANIFEST.json` lists every file with its size and sha256
(`scripts/vendor_assets.py --check` verifies them).

Update: edit `package.json`, `npm install --ignore-scripts`, `.venv/bin/python
scripts/vendor_assets.py`, `rm -rf node_modules`.
"""
    (VENDOR / "README.md").write_text(text, encoding="utf-8")


def check() -> int:
    manifest = json.loads((VENDOR / "MANIFEST.json").read_text(encoding="utf-8"))
    bad = []
    for rel, meta in manifest["files"].items():
        p = VENDOR / rel
        if not p.is_file() or p.stat().st_size != meta["size"] or sha256(p) != meta["sha256"]:
            bad.append(rel)
    for rel in bad:
        print(f"vendored file missing or changed: {rel}", file=sys.stderr)
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--npm", action="store_true", help="run `npm ci` when node_modules is missing")
    ap.add_argument("--check", action="store_true", help="verify the vendored files only")
    args = ap.parse_args(argv)
    if args.check:
        return check()
    if not (NODE_MODULES / "cytoscape").exists():
        if not args.npm:
            print("node_modules is missing: run `npm ci --ignore-scripts` or pass --npm",
                  file=sys.stderr)  # fmt: skip
            return 2
        subprocess.run(
            ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=ROOT, check=True
        )
    vendor()
    return 0


if __name__ == "__main__":
    sys.exit(main())
