"""Every app's tests run: an app left out of pytest.ini's testpaths would pass CI untested."""

import configparser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_app_with_tests_is_in_testpaths():
    config = configparser.ConfigParser()
    config.read(ROOT / "pytest.ini")
    listed = set(config["pytest"]["testpaths"].split())
    with_tests = {
        path.parent.parent.name
        for path in ROOT.glob("*/tests/__init__.py")
        if not path.parent.parent.name.startswith(".")
    }
    assert with_tests - listed == set()
