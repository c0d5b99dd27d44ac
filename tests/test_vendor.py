"""Vendoring YASGUI: the tarball is checked against its pinned integrity hash and unpacked whole or not
at all. A local HTTP server stands in for the npm registry, serving a tarball built here."""

import base64
import hashlib
import io
import tarfile
import threading
from functools import partial
from http.server import HTTPServer, SimpleHTTPRequestHandler

import pytest

from ccgraph.errors import CcgraphError
from ccgraph.serve import pages, vendor


def npm_tarball(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


@pytest.fixture
def registry(tmp_path):
    """A directory served over HTTP laid out as the npm registry lays out tarballs."""
    root = tmp_path / "registry"
    server = HTTPServer(("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def publish(root, asset: vendor.NpmAsset, data: bytes) -> None:
    path = root / asset.package / "-" / f"{asset.name}-{asset.version}.tgz"
    path.parent.mkdir(parents=True)
    path.write_bytes(data)


def test_fetch_verifies_and_unpacks(registry, tmp_path):
    root, url = registry
    data = npm_tarball({"build/yasgui.min.js": b"var Yasgui;", "build/yasgui.min.css": b".yasgui{}", "LICENSE.txt": b"MIT"})
    asset = vendor.NpmAsset("@triply/yasgui", "4.2.28", integrity(data), vendor.YASGUI.files)
    publish(root, asset, data)
    folder = vendor.fetch(tmp_path / "build", asset, registry=url)
    assert (folder / "yasgui.min.js").read_bytes() == b"var Yasgui;"
    assert vendor.is_vendored(tmp_path / "build", asset)


def test_tampered_tarball_is_refused_and_nothing_is_left(registry, tmp_path):
    root, url = registry
    data = npm_tarball({"build/yasgui.min.js": b"alert('tampered')", "build/yasgui.min.css": b"", "LICENSE.txt": b""})
    asset = vendor.NpmAsset("@triply/yasgui", "4.2.28", vendor.YASGUI.integrity, vendor.YASGUI.files)
    publish(root, asset, data)
    with pytest.raises(CcgraphError, match="integrity check failed"):
        vendor.fetch(tmp_path / "build", asset, registry=url)
    assert not vendor.asset_dir(tmp_path / "build", asset).exists()


def test_tarball_without_a_listed_file_leaves_nothing(registry, tmp_path):
    root, url = registry
    data = npm_tarball({"build/yasgui.min.js": b"var Yasgui;"})
    asset = vendor.NpmAsset("@triply/yasgui", "4.2.28", integrity(data), vendor.YASGUI.files)
    publish(root, asset, data)
    with pytest.raises(CcgraphError, match="has no package/build/yasgui.min.css"):
        vendor.fetch(tmp_path / "build", asset, registry=url)
    assert list((tmp_path / "build" / "vendor").iterdir()) == []


def test_registry_down_is_one_clear_error(tmp_path):
    with pytest.raises(CcgraphError, match=r"cannot download @triply/yasgui@4\.2\.28"):
        vendor.fetch(tmp_path / "build", registry="http://127.0.0.1:9")


def test_editor_without_yasgui_is_a_working_plain_editor():
    page = pages.editor(yasgui=False)
    assert '<textarea id="sparql"' in page and "fetch('/sparql'" in page and "/assets/" not in page
    assert "/assets/yasgui/yasgui.min.js" in pages.editor(yasgui=True)


def test_vendor_command_reports_a_registry_that_is_down(tmp_path):
    from click.testing import CliRunner

    from ccgraph.cli import cli

    (tmp_path / "ontology").mkdir()
    result = CliRunner().invoke(cli, ["--root", str(tmp_path), "vendor", "--registry", "http://127.0.0.1:9"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [result.output.strip()]
    assert "Error: http://127.0.0.1:9/@triply/yasgui/-/yasgui-4.2.28.tgz: cannot download" in result.output
    assert not (tmp_path / "build" / "vendor" / "yasgui").exists()
