"""/downloads: the release files, when a release folder exists (build/release, or dist/, as `ccgraph
release --output` wrote it), else the export of the last build (build/ccgraph.trig); and the mapping sets.

A file is served only if it is in the listing made at the time of the request, by its path relative
to the folder listed: no path typed into the URL reaches the file system otherwise, and nothing that
resolves outside the folder (a symbolic link, say) is listed.
"""

from dataclasses import dataclass
from pathlib import Path

from ccgraph.serve.browse import esc, natural_key

CHECKSUMS = "SHA256SUMS"
EXPORTS = ("ccgraph.trig", "ccgraph.nq", "ccgraph.ttl", "ccgraph.nt", "ccgraph.jsonld")


@dataclass(frozen=True)
class Download:
    name: str  # path relative to its folder, '/'-separated: what the URL says
    path: Path
    size: int
    sha256: str | None  # from the folder's SHA256SUMS, where it has one


@dataclass(frozen=True)
class Listing:
    kind: str  # release | export | none
    folder: Path | None
    files: tuple[Download, ...]

    def find(self, name: str) -> Download | None:
        return next((f for f in self.files if f.name == name), None)


def _release_folders(project) -> list[Path]:
    """Folders holding a release: build/release and dist/ themselves, or their subfolders (one per version)."""
    found = []
    for base in (project.build_dir / "release", project.root / "dist"):
        if not base.is_dir():
            continue
        if (base / CHECKSUMS).is_file():
            found.append(base)
            continue
        subfolders = sorted((p for p in base.iterdir() if p.is_dir() and (p / CHECKSUMS).is_file()), key=lambda p: natural_key(p.name))
        if subfolders:
            found.append(subfolders[-1])  # the last version: 0.10.0 after 0.9.0
        elif any(p.is_file() for p in base.iterdir()):
            found.append(base)
    return found


def _sums(folder: Path) -> dict[str, str]:
    path = folder / CHECKSUMS
    if not path.is_file():
        return {}
    sums = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        digest, _, name = line.partition("  ")
        if digest and name:
            sums[name.strip().lstrip("*")] = digest.strip()
    return sums


def _files(folder: Path) -> list[Download]:
    root = folder.resolve()
    sums = _sums(folder)
    out = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        real = path.resolve()
        if root not in real.parents:
            continue  # a link out of the folder
        name = path.relative_to(folder).as_posix()
        if any(part.startswith(".") for part in name.split("/")):
            continue
        out.append(Download(name, real, real.stat().st_size, sums.get(name)))
    return out


def listing(project) -> Listing:
    if project is None:
        return Listing("none", None, ())
    for folder in _release_folders(project):
        files = _files(folder)
        if files:
            return Listing("release", folder, tuple(files))
    build = project.build_dir
    exports = [build / name for name in EXPORTS if (build / name).is_file()]
    if exports:
        return Listing("export", build, tuple(Download(p.name, p.resolve(), p.stat().st_size, None) for p in exports))
    return Listing("none", None, ())


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def page(project, mapping_names) -> tuple[str, str]:
    found = listing(project)
    if found.kind == "release":
        lead = (f'<p id="downloads-kind">The release in <code>{esc(found.folder.name)}</code>: every file, with its SHA-256 as '
                f'<code>{CHECKSUMS}</code> states it (check a copy with <code>sha256sum -c {CHECKSUMS}</code>).</p>')
    elif found.kind == "export":
        lead = ('<p id="downloads-kind">No release has been written here (<code>ccgraph release --version X --output build/release</code> '
                'makes one), so this is the export of the last build: every asserted named graph.</p>')
    else:
        lead = '<p id="downloads-kind">Nothing to download yet: run <code>ccgraph build</code> (or <code>ccgraph release</code>).</p>'
    sums = any(f.sha256 for f in found.files)
    rows = "".join(f'<tr><td><a href="/downloads/{esc(f.name)}" download>{esc(f.name)}</a></td><td>{esc(_size(f.size))}</td>'
                   + (f'<td><code>{esc(f.sha256 or "")}</code></td>' if sums else "") + "</tr>" for f in found.files)
    table = (f'<table id="download-files"><thead><tr><th>file</th><th>size</th>{"<th>SHA-256</th>" if sums else ""}</tr></thead>'
             f'<tbody>{rows}</tbody></table>' if rows else "")
    sets = "".join(f'<li><a href="/mappings/{esc(n)}.sssom.tsv" download>{esc(n)}.sssom.tsv</a> (<a href="/mappings/{esc(n)}">rows</a>)</li>'
                   for n in mapping_names)
    body = (f"{lead}{table}" + (f'<h2>Mapping sets (SSSOM TSV)</h2><ul id="download-mappings">{sets}</ul>' if sets else "")
            + '<h2>Query instead</h2><p>The SPARQL endpoint is <a href="/sparql">/sparql</a>; every entity page gives its own Turtle and JSON-LD.</p>')
    return "Downloads", body


# ---------------------------------------------------------------- routes (registered in site.Site.routes)

async def downloads_page(site, request):
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import HTMLResponse

    from ccgraph.serve import mapping_pages, pages

    names = list(await run_in_threadpool(mapping_pages.mapping_sets, site.store))
    title, body = await run_in_threadpool(page, site.project, names)
    return HTMLResponse(pages.layout(title, body))


async def download_file(site, request):
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import FileResponse, PlainTextResponse

    found = (await run_in_threadpool(listing, site.project)).find(request.path_params["name"])
    if found is None:
        return PlainTextResponse("Not found", status_code=404)
    return FileResponse(found.path, filename=found.name.rsplit("/", 1)[-1], media_type=_media_type(found.name))


def _media_type(name: str) -> str:
    types = {".trig": "application/trig", ".nq": "application/n-quads", ".ttl": "text/turtle", ".nt": "application/n-triples",
             ".jsonld": "application/ld+json", ".csv": "text/csv", ".tsv": "text/tab-separated-values", ".html": "text/html",
             ".json": "application/json"}
    suffix = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    return types.get(suffix, "text/plain" if name.endswith(CHECKSUMS) else "application/octet-stream")
