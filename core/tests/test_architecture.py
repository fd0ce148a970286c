"""The shape of the code holds: no two modules import each other, directly or round a loop,
and the tasks that apps queue by name (so as not to import an app above them) exist."""

import grimp

from core.queue import SWEEP_TASK
from core.tests.project import PROJECT_APPS, ROOT
from reports.services import RUN_EXPORT_TASK

APPS = [*PROJECT_APPS, "mentoring"]


def _production(module: str) -> bool:
    return ".tests" not in module and ".migrations" not in module


def import_cycles(graph: grimp.ImportGraph) -> list[tuple[str, ...]]:
    """Every loop of imports between production modules, each named once."""
    seen: set[frozenset[str]] = set()
    cycles = []
    for importer in sorted(filter(_production, graph.modules)):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            if not _production(imported):
                continue
            back = graph.find_shortest_chain(importer=imported, imported=importer)
            if back and all(map(_production, back)) and frozenset(back) not in seen:
                seen.add(frozenset(back))
                cycles.append((importer, *back))
    return cycles


def test_no_module_imports_itself_round_a_loop(monkeypatch):
    """A cycle between modules (reports.services and reports.tasks had one) makes import
    order matter and hides which module depends on which."""
    monkeypatch.syspath_prepend(str(ROOT))
    graph = grimp.build_graph(*APPS, exclude_type_checking_imports=True)
    assert import_cycles(graph) == []


def test_the_cycle_finder_finds_a_loop():
    """The check above can fail: a planted loop of three modules is found, once."""
    graph = grimp.ImportGraph()
    for name in ("app.a", "app.b", "app.c", "app.tests.t"):
        graph.add_module(name)
    graph.add_import(importer="app.a", imported="app.b")
    graph.add_import(importer="app.b", imported="app.c")
    graph.add_import(importer="app.c", imported="app.a")
    graph.add_import(importer="app.tests.t", imported="app.a")
    assert len(import_cycles(graph)) == 1


def test_the_tasks_queued_by_name_exist():
    """core.queue.sweep_soon and the report job send their tasks by name; a typo there would
    queue work no worker runs."""
    from mentoring.celery import app

    app.loader.import_default_modules()
    assert SWEEP_TASK in app.tasks
    assert RUN_EXPORT_TASK in app.tasks
