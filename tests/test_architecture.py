"""The apps stand on each other in layers: an app imports only apps of the layers below its own
(docs/architecture.md). Every import counts, also those inside functions; migrations are history
and do not."""

import ast
from pathlib import Path

import gaceta

PACKAGE = Path(gaceta.__file__).parent
# Bottom first. Apps of one layer do not import each other either.
LAYERS = [
    ["core"],
    ["members"],
    ["payments"],
    ["articles"],
    ["search", "comments", "frontpage"],
    ["answers", "newsletters"],
    ["api", "wordpress"],
    ["demo"],
]
LAYER_OF = {app: number for number, apps in enumerate(LAYERS) for app in apps}


def imported_modules(source: str, package: list[str]) -> list[tuple[int, str]]:
    """(line, absolute module) for every import in `source`, a module of `package`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            if node.module:
                found.append((node.lineno, ".".join([*base, node.module])))
            else:  # from .. import payments
                found += [(node.lineno, ".".join([*base, alias.name])) for alias in node.names]
    return found


def app_imports() -> list[tuple[str, str, str]]:
    """(importing app, imported app, where) for every import between two of Gaceta's apps."""
    apps = {path.parent.name for path in PACKAGE.glob("*/apps.py")}
    edges = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if parts[0] not in apps or "migrations" in parts:
            continue
        package = ["gaceta", *parts[:-1]]
        for line, module in imported_modules(path.read_text(), package):
            names = module.split(".")
            if names[0] == "gaceta" and len(names) > 1 and names[1] in apps - {parts[0]}:
                edges.append((parts[0], names[1], f"{path.relative_to(PACKAGE.parent)}:{line}"))
    return edges


def test_every_app_has_a_layer():
    apps = {path.parent.name for path in PACKAGE.glob("*/apps.py")}
    assert apps == set(LAYER_OF), "add the app to LAYERS and to docs/architecture.md"


def test_apps_import_only_the_layers_below_them():
    edges = app_imports()
    assert len(edges) > 50  # the scan sees the imports there are
    upward = [f"{where}: {source} imports {target}" for source, target, where in edges
              if LAYER_OF[target] >= LAYER_OF[source]]
    assert upward == []


def test_the_scan_resolves_relative_and_function_level_imports():
    source = "from ... import payments\nfrom ..services import x\n\ndef f():\n    from gaceta.comments.models import Comment\n"
    found = [name for _, name in imported_modules(source, ["gaceta", "members", "templatetags"])]
    assert found == ["gaceta.payments", "gaceta.members.services", "gaceta.comments.models"]
