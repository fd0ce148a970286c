"""Where the project's own code is, for tests that read all of it: the repository's root and
its Django apps (each folder with an apps.py), found on disk so a new app is read too."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT_APPS = sorted(
    path.parent.name
    for path in ROOT.glob("*/__init__.py")
    if not path.parent.name.startswith(".") and (path.parent / "apps.py").exists()
)
