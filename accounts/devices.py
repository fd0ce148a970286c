"""A device in words ("Chrome on Android"), from a browser's user-agent string.

Enough for someone to recognise their own phone or laptop on "Your sessions"; nothing finer is
kept (no version numbers, no full user-agent string)."""

import re

# Checked in order: Edge and Samsung Internet and Opera also say "Chrome", Chrome says "Safari".
_BROWSERS = [
    (re.compile(r"Edg(e|A|iOS)?/"), "Edge"),
    (re.compile(r"SamsungBrowser/"), "Samsung Internet"),
    (re.compile(r"OPR/|Opera"), "Opera"),
    (re.compile(r"Firefox/|FxiOS/"), "Firefox"),
    (re.compile(r"Chrome/|CriOS/|Chromium/"), "Chrome"),
    (re.compile(r"Safari/"), "Safari"),
]
_SYSTEMS = [
    (re.compile(r"iPhone"), "iPhone"),
    (re.compile(r"iPad"), "iPad"),
    (re.compile(r"Android"), "Android"),
    (re.compile(r"CrOS"), "ChromeOS"),
    (re.compile(r"Windows"), "Windows"),
    (re.compile(r"Mac OS X|Macintosh"), "Mac"),
    (re.compile(r"Linux"), "Linux"),
]


def _first(rules: list[tuple[re.Pattern[str], str]], text: str) -> str:
    return next((name for pattern, name in rules if pattern.search(text)), "")


def device_description(user_agent: str) -> str:
    """ "Firefox on Windows", "Safari on iPhone", or what little can be told."""
    browser, system = _first(_BROWSERS, user_agent), _first(_SYSTEMS, user_agent)
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "An unknown browser"
