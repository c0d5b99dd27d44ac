"""A release folder is written whole or not at all.

Everything goes into DIR.part beside DIR; only when the last file is written does DIR.part become DIR.
An interrupted release leaves at most DIR.part (removed by the next run), never half a DIR. A DIR that
exists and is not empty is kept unless force is given; and never the current folder or one that holds
it (or the project), where replacing it would delete the work around it.
"""

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ccgraph.errors import CcgraphError


@contextmanager
def staged_folder(target: Path, force: bool = False, keep: tuple[Path, ...] = ()) -> Iterator[Path]:
    """Yield the staging folder to fill; on success it replaces target, on failure it is removed."""
    target = Path(os.path.abspath(target))
    check_target(target, force, keep)
    staging = target.with_name(target.name + ".part")
    _remove(staging)  # left by a release that was interrupted
    staging.mkdir(parents=True)
    try:
        yield staging
    except BaseException:
        _remove(staging)
        raise
    old = target.with_name(f".{target.name}.{os.getpid()}.old")
    if target.exists():
        target.rename(old)
    staging.rename(target)
    _remove(old)


def check_target(target: Path, force: bool = False, keep: tuple[Path, ...] = ()) -> None:
    """Refuse, before any work, a target that may not be replaced."""
    target = Path(os.path.abspath(target))
    if target.exists() and not target.is_dir():
        raise CcgraphError(f"{target}: exists and is not a folder")
    if not target.is_dir():
        return
    for precious in (Path.cwd(), *keep):
        precious = Path(os.path.abspath(precious))
        if precious == target or target in precious.parents:
            raise CcgraphError(f"{target}: holds {precious}: a release goes into a folder of its own")
    if any(target.iterdir()) and not force:
        raise CcgraphError(f"{target}: exists and is not empty: give --force to replace it, or choose another folder")


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
