"""The package import graph by layer: `python -m bot.devtools.imports` prints it and exits 1 on an upward arrow,
a product module importing a dev tool, a cycle, or a package no layer names.

Layers, bottom to top (a package may import its own layer and those below, never above):
    base < storage < domain < scheduler < handlers < adapters < wiring
Dev tools (the sandbox, the demo, these tools) may import anything; only the wiring (the CLI, the runner)
imports them. The nodes are the top-level packages, and bot/'s subpackages and modules one by one (bot/ holds
several layers). Every import counts: lazy ones inside functions and type-only ones under TYPE_CHECKING too,
since each ties the lower package to the upper one. The files are read with `ast`, nothing is imported.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOTS = ("bot", "handlers", "scheduler", "storage")
LAYERS = ("base", "storage", "domain", "scheduler", "handlers", "adapters", "wiring")
DEV = "dev"
PLACES: dict[str, str] = {
    "bot.base": "base",  # clock, errors, text, messages, the period shape: pure values
    "storage": "storage",  # tables and plain queries
    "bot.calendar": "domain",  # periods, cutoffs, working days
    "bot.periods": "domain",  # a plan's periods and what a unit owes in one
    "bot.cards": "domain",  # the task card, in an answer and in a nudge
    "bot.readers": "domain",  # Vietnamese replies, dates, timeframes
    "bot.importer": "domain",  # plan files to tasks
    "bot.directory": "domain",  # the unit directory
    "bot.datasets": "domain",  # the bundled unit lists
    "bot.summary": "domain",  # summaries and their files
    "scheduler": "scheduler",  # what is due, the outbox, the dispatcher
    "bot.chat": "handlers",  # the services every step shares: actor, flood control, one transaction per step
    "handlers": "handlers",  # one module per feature: its steps (what the bot answers) and its routes
    "bot.adapters": "adapters",  # one connector per platform, its registrations built from the route table
    "bot.web": "handlers",  # the web pages
    "bot.web.server": "wiring",  # settings in, the web server out
    "bot": "wiring",
    "bot.__main__": "wiring",
    "bot.app": "wiring",
    "bot.runner": "wiring",
    "bot.cli": "wiring",
    "bot.settings": "wiring",
    "bot.logs": "wiring",
    "bot.sandbox": DEV,
    "bot.demo": DEV,
    "bot.devtools": DEV,
}


@dataclass
class Graph:
    arrows: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))  # -> witnesses
    lines: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    external: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))  # tests->bench


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def component(module: str) -> str:
    """The node a module belongs to: the longest prefix PLACES names, else its package (bot.x, or the top)."""
    parts = module.split(".")
    for size in range(len(parts), 1 if parts[0] == "bot" and len(parts) > 1 else 0, -1):
        if ".".join(parts[:size]) in PLACES:
            return ".".join(parts[:size])
    return ".".join(parts[:2]) if parts[0] == "bot" and len(parts) > 1 else parts[0]


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in node.body:
                lines.update(range(inner.lineno, (inner.end_lineno or inner.lineno) + 1))
    return lines


def imported(tree: ast.AST, module: str, is_package: bool, known: set[str]) -> Iterator[tuple[str, int, bool]]:
    """(imported module, line, type-only) for every import in the file."""
    typing_only = _type_checking_lines(tree)
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno, node.lineno in typing_only
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                yield (sub if sub in known else base), node.lineno, node.lineno in typing_only


def build(root: Path, *, ignore: Iterable[str] = ()) -> Graph:
    skipped = {Path(p).as_posix() for p in ignore}
    files = {module_name(p, root): p for top in ROOTS for p in sorted((root / top).rglob("*.py"))}
    graph = Graph()
    for module, path in files.items():
        rel = path.relative_to(root).as_posix()
        source = path.read_text(encoding="utf-8")
        graph.lines[component(module)] += len(source.splitlines())
        if rel in skipped:
            continue
        tree = ast.parse(source, filename=rel)
        for target, line, types in imported(tree, module, path.name == "__init__.py", set(files)):
            if target.split(".")[0] not in ROOTS:
                continue
            source_node, target_node = component(module), component(target)
            witness = f"{rel}:{line}" + (" (types)" if types else "")
            if source_node != target_node and witness not in graph.arrows[(source_node, target_node)]:
                graph.arrows[(source_node, target_node)].append(witness)
    for path in sorted((root / "tests").rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=rel)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            for name in names:
                if name.split(".")[0] == "bench" and f"{rel}:{node.lineno}" not in graph.external[("tests", "bench")]:
                    graph.external[("tests", "bench")].append(f"{rel}:{node.lineno}")
    return graph


def cycles(arrows: Iterable[tuple[str, str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan), each sorted."""
    edges: dict[str, set[str]] = defaultdict(set)
    for a, b in arrows:
        edges[a].add(b)
        edges.setdefault(b, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(edges[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(found)


def problems(graph: Graph) -> list[str]:
    found = []
    for node in sorted({n for arrow in graph.arrows for n in arrow} | set(graph.lines)):
        if node not in PLACES:
            found.append(f"unplaced: {node} (name its layer in bot/devtools/imports.py PLACES)")
    for (a, b), where in sorted(graph.arrows.items()):
        la, lb = PLACES.get(a), PLACES.get(b)
        if la is None or lb is None or la == DEV:
            continue
        if lb == DEV and la != "wiring":
            found.append(f"dev tool: {a} ({la}) -> {b} in {', '.join(where)}")
        elif lb != DEV and LAYERS.index(lb) > LAYERS.index(la):
            found.append(f"upward: {a} ({la}) -> {b} ({lb}) in {', '.join(where)}")
    for group in cycles(graph.arrows):
        found.append("cycle: " + " <-> ".join(group))
    return found


def report(graph: Graph) -> str:
    out = []
    for layer in (*LAYERS, DEV):
        nodes = sorted(n for n, place in PLACES.items() if place == layer and (n in graph.lines))
        total = sum(graph.lines[n] for n in nodes)
        out.append(f"{layer} ({total} lines)")
        for node in nodes:
            targets = sorted({b for (a, b) in graph.arrows if a == node}, key=lambda b: (
                LAYERS.index(PLACES[b]) if PLACES.get(b) in LAYERS else len(LAYERS), b))
            out.append(f"  {node} ({graph.lines[node]} lines) -> {', '.join(targets) or '-'}")
    for (a, b), where in sorted(graph.external.items()):
        out.append(f"note: {a} -> {b} in {len(where)} files: {', '.join(where)}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.devtools.imports", description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[2], help="the repository")
    parser.add_argument("--ignore", action="append", default=[], metavar="FILE",
                        help="leave this file's imports out (a path from the root; repeatable)")
    args = parser.parse_args(argv)
    graph = build(args.root, ignore=args.ignore)
    print(report(graph))
    found = problems(graph)
    for line in found:
        print(line)
    print(f"{len(found)} problem(s)" if found else "no upward arrow, no cycle")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
