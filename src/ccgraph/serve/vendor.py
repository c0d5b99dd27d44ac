"""Vendored web assets: YASGUI, fetched once from the npm registry at a pinned version, checked
against the registry's published integrity hash, and kept under build/vendor/ so the editor page
serves it locally (nothing from a CDN, and the server never reaches out at run time)."""

import base64
import hashlib
import io
import os
import shutil
import tarfile
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from ccgraph.errors import CcgraphError


@dataclass(frozen=True)
class NpmAsset:
    package: str
    version: str
    integrity: str  # the "dist.integrity" of the registry's metadata for this version
    files: tuple[str, ...]  # paths inside the tarball's package/ folder, kept by their base names

    @property
    def name(self) -> str:
        return self.package.rsplit("/", 1)[-1]

    def tarball_url(self, registry: str) -> str:
        return f"{registry.rstrip('/')}/{self.package}/-/{self.name}-{self.version}.tgz"


YASGUI = NpmAsset(
    package="@triply/yasgui",
    version="4.2.28",
    integrity="sha512-HN1neZqERSGoDyk/Fg40nI+F0tHnaBxjqizhN0mur2Kj0oJsklBsFMRk/M+wW+ohy8dSEn7AgX3H0pPrV/wmVg==",
    files=("build/yasgui.min.js", "build/yasgui.min.css", "LICENSE.txt"),
)


def registry_url() -> str:
    # npm's own setting, so a mirror configured for npm is used here too.
    return os.environ.get("npm_config_registry") or os.environ.get("NPM_CONFIG_REGISTRY") or "https://registry.npmjs.org"


def asset_dir(build_dir: Path, asset: NpmAsset = YASGUI) -> Path:
    return build_dir / "vendor" / asset.name


def is_vendored(build_dir: Path, asset: NpmAsset = YASGUI) -> bool:
    folder = asset_dir(build_dir, asset)
    return all((folder / Path(f).name).is_file() for f in asset.files)


def check_integrity(data: bytes, integrity: str, where: str) -> None:
    algorithm, _, expected = integrity.partition("-")
    actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if actual != expected:
        raise CcgraphError(f"{where}: integrity check failed ({algorithm} {actual} is not the pinned {expected})")


def fetch(build_dir: Path, asset: NpmAsset = YASGUI, registry: str | None = None, timeout: float = 60) -> Path:
    """Download, verify and unpack the asset; the folder appears whole or not at all."""
    url = asset.tarball_url(registry or registry_url())
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            data = response.read()
    except OSError as error:
        raise CcgraphError(f"{url}: cannot download {asset.package}@{asset.version} ({getattr(error, 'reason', error)})") from None
    check_integrity(data, asset.integrity, url)
    target = asset_dir(build_dir, asset)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{asset.name}-", dir=target.parent))
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            for member in asset.files:
                try:
                    source = archive.extractfile(f"package/{member}")
                except KeyError:
                    source = None
                if source is None:
                    raise CcgraphError(f"{url}: the tarball has no package/{member}")
                (staging / Path(member).name).write_bytes(source.read())
        staging.chmod(0o755)  # mkdtemp makes it private; the files are public assets
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target
