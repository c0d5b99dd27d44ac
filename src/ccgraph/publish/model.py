"""What a release is made of: the options it was asked for and the files it holds.

Options are checked here, once, so every writer can trust them: a version that could not sit in an IRI
or a file name, a date that is not a calendar date or a URL that is not http(s) is refused with one line.
"""

import re
from dataclasses import dataclass
from datetime import date as Date
from urllib.parse import quote, urlsplit

from ccgraph.errors import CcgraphError

DEFAULT_ENDPOINT = "http://localhost:8000/sparql"
DATA_LICENCE = "https://creativecommons.org/licenses/by/4.0/"  # README: data and ontology are CC BY 4.0
DATASET_IRI = "https://w3id.org/ccgraph/dataset"  # the dataset across versions; a release is DATASET_IRI/{version}
PROJECT_IRI = "https://w3id.org/ccgraph"  # the project, as creator (SSSOM creator_id w3id:ccgraph)
MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"

_VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}")


@dataclass(frozen=True)
class ReleaseOptions:
    version: str
    date: str | None = None  # YYYY-MM-DD; no date unless given, so two runs give the same bytes
    base_url: str | None = None  # where the files will be downloaded from; relative URLs without it
    endpoint_url: str = DEFAULT_ENDPOINT

    def __post_init__(self):
        if not _VERSION.fullmatch(self.version or ""):
            raise CcgraphError(f"--version {self.version!r}: use letters, digits and . + _ - (such as 0.1.0), at most 64")
        if self.date is not None:
            try:
                parsed = Date.fromisoformat(self.date)
            except ValueError:
                parsed = None
            if parsed is None or parsed.isoformat() != self.date:
                raise CcgraphError(f"--date {self.date!r}: expected a date as YYYY-MM-DD")
        for option, url in (("--base-url", self.base_url), ("--endpoint-url", self.endpoint_url)):
            if url is not None and (urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc):
                raise CcgraphError(f"{option} {url!r}: expected an http:// or https:// URL")

    @property
    def release_iri(self) -> str:
        return f"{DATASET_IRI}/{self.version}"

    def download_url(self, path: str) -> str:
        """A file's URL: under --base-url, else relative (to the description, which sits beside the files)."""
        relative = quote(path)
        return f"{self.base_url.rstrip('/')}/{relative}" if self.base_url else relative


@dataclass(frozen=True)
class ReleaseFile:
    """One file of a release: where it goes in the folder, its bytes, and what the description says of it."""

    path: str  # relative, with '/'
    data: bytes
    title: str
    media_type: str  # as registered with IANA, e.g. text/turtle

    @property
    def media_type_iri(self) -> str:
        return MEDIA_TYPES + self.media_type
