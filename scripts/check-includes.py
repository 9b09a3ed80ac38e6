#!/usr/bin/env python3
"""Fails when an #include runs against the layering, or when includes form a circle.

The layer order lives here, and nowhere else. A file may include files of its own folder and of
lower layers; the features (one layer, several folders) may not include each other. Libraries
follow the same rule one level up: app on top, then adapters / storage / templates / config,
all of them over bot. bot/ also must not include I/O libraries.

Usage: scripts/check-includes.py [ROOT]   (exit 1 and one line per problem when something is off)
"""
import os
import re
import sys

# bot/ from the bottom up: folders under bot/, plus two units for the files at its root. Folders
# on one line share a layer and must not include each other.
BOT_LAYERS = [
    ["text"],
    ["time"],
    ["model"],
    ["settings"],
    ["shared"],  # bot/*: the decision, the state, reply routing, the decision context, roles
    ["reports", "ledger", "conventions", "scoring", "operations", "chat"],  # the features
    ["console"],  # the web console's views, over the features' data
    ["engine"],  # bot/engine*, bot/dispatch*: the engine and its dispatch tables
]
ENGINE_FILES = re.compile(r"^(engine|dispatch)")

# Libraries (top-level folders), from the bottom up; one line is one layer.
LIBRARY_LAYERS = [
    ["bot"],
    ["config", "templates", "storage", "adapters"],
    ["app"],
]
# What a library on the same layer may still use (config and templates are leaves, storage and
# adapters use nothing of each other).
SAME_LAYER_ALLOWED = {("storage", "config"), ("adapters", "config")}

# bot/ is pure: no sockets, no database, no files, no clocks.
BOT_FORBIDDEN = re.compile(
    r"^(boost/asio|boost/beast|SQLiteCpp|sqlite3|spdlog|fstream|filesystem|thread|mutex)")

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)
SOURCES = ("bot", "adapters", "storage", "templates", "config", "app")


def bot_unit(path):
    """The layering unit of a file under bot/: its folder, or one of the two root units."""
    parts = path.split("/")
    if len(parts) == 2:
        return "engine" if ENGINE_FILES.match(parts[1]) else "shared"
    return parts[1]


def layer_of(unit, layers):
    for level, names in enumerate(layers):
        if unit in names:
            return level
    return None


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    root = os.path.abspath(root)
    problems = []
    graph = {}
    for top in SOURCES:
        for dirpath, dirs, names in os.walk(os.path.join(root, top)):
            dirs[:] = [d for d in dirs if d != "node_modules"]  # the Node parts' packages
            for name in names:
                if not name.endswith((".hpp", ".cpp")):
                    continue
                full = os.path.join(dirpath, name)
                rel = os.path.relpath(full, root)
                with open(full, encoding="utf-8") as fh:
                    text = fh.read()
                graph[rel] = []
                for kind, target in INCLUDE.findall(text):
                    if kind == '"' and target.split("/")[0] in SOURCES:
                        graph[rel].append(target)
                        check_edge(rel, target, problems)
                    elif top == "bot" and BOT_FORBIDDEN.match(target):
                        problems.append(f"{rel}: bot/ is pure and must not include <{target}>")
    for cycle in find_cycles(graph):
        problems.append("include circle: " + " -> ".join(cycle))
    for line in problems:
        print(line)
    if problems:
        print(f"{len(problems)} include problem(s); the layer order is in {__file__}")
        return 1
    return 0


def check_edge(source, target, problems):
    src_lib, dst_lib = source.split("/")[0], target.split("/")[0]
    if src_lib != dst_lib:
        a, b = layer_of(src_lib, LIBRARY_LAYERS), layer_of(dst_lib, LIBRARY_LAYERS)
        if b > a or (a == b and (src_lib, dst_lib) not in SAME_LAYER_ALLOWED):
            problems.append(f"{source}: includes {target}, but {src_lib}/ may not use {dst_lib}/")
        return
    if src_lib != "bot":
        return
    src_unit, dst_unit = bot_unit(source), bot_unit(target)
    if src_unit == dst_unit:
        return
    a, b = layer_of(src_unit, BOT_LAYERS), layer_of(dst_unit, BOT_LAYERS)
    if a is None or b is None:
        unknown = source if a is None else target
        problems.append(f"{unknown}: not in any layer of BOT_LAYERS")
    elif b > a:
        problems.append(f"{source}: includes {target}, which is above it ({src_unit} over "
                        f"{dst_unit} in the layer order)")
    elif a == b:
        problems.append(f"{source}: includes {target}; {src_unit} and {dst_unit} are on one "
                        f"layer and may not use each other")


def find_cycles(graph):
    """Every elementary circle found by a depth-first walk (one report per back edge)."""
    cycles = []
    state = {}
    stack = []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in graph.get(node, []):
            if nxt not in graph:
                continue
            if state.get(nxt) == "open":
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = "done"

    sys.setrecursionlimit(10000)
    for node in sorted(graph):
        if node not in state:
            visit(node)
    return cycles


if __name__ == "__main__":
    sys.exit(main())
