"""The project's import graph: no circle anywhere, and the content model and the chain never
import the public part (govportal.api), which listens to their signals and hooks instead.

Every import counts, at module level and inside functions alike: an import moved into a
function to dodge a circle is still a circle."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("govportal", "pages", "moderation", "reports", "frontend")
PUBLIC = "govportal.api"
# Packages that the public part depends on and that must never depend on it.
BELOW_PUBLIC = ("pages", "moderation")


def project_modules(root=ROOT):
    """Dotted module name -> (file, whether it is a package's __init__)."""
    modules = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts.pop()
            modules[".".join(parts)] = (path, is_package)
    return modules


def _known(name, modules):
    """The project module an imported name lives in (its longest known prefix), or None."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _nodes_with_function(tree):
    """(node, name of the innermost function it stands in, or None) for every node."""
    stack = [(tree, None)]
    while stack:
        node, function = stack.pop()
        yield node, function
        inner = node.name if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else function
        stack.extend((child, inner) for child in ast.iter_child_nodes(node))


def imports_of(module, path, is_package, modules, in_functions=None):
    """[(imported project module, line)] of every import statement in the file, wherever it
    stands (module level, functions, classes, conditionals). `in_functions`, a list, also
    receives (line, function) of each project import made inside a function."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node, function in _nodes_with_function(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package
                for _ in range(node.level - 1):
                    base = base.rpartition(".")[0]
                source = ".".join(p for p in (base, node.module) if p)
            else:
                source = node.module
            # `from a import b` imports the module a.b when there is one, else a name of a.
            names = [f"{source}.{a.name}" if f"{source}.{a.name}" in modules else source for a in node.names]
        else:
            continue
        for name in names:
            target = _known(name, modules)
            if target and target != module and (target, node.lineno) not in found:
                found.append((target, node.lineno))
                if function is not None and in_functions is not None:
                    in_functions.append((node.lineno, function))
    return sorted(found, key=lambda edge: edge[1])


def import_graph(root=ROOT):
    modules = project_modules(root)
    return {
        module: imports_of(module, path, is_package, modules)
        for module, (path, is_package) in modules.items()
    }


def cycles(graph):
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    counter = 0
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(graph[start]))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            for target, _ in edges:
                if target not in index:
                    index[target] = low[target] = counter
                    counter += 1
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(graph.get(target, ()))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def describe(component, graph):
    members = set(component)
    return "\n".join(
        f"  {source} -> {target} (line {line})"
        for source in component
        for target, line in graph[source]
        if target in members
    )


def in_package(module, package):
    return module == package or module.startswith(package + ".")


def test_no_import_circle():
    graph = import_graph()
    found = cycles(graph)
    assert not found, "import circles:\n" + "\n\n".join(describe(c, graph) for c in found)


def test_content_model_and_chain_do_not_import_the_public_part():
    wrong = [
        f"{source} -> {target} (line {line})"
        for source, edges in import_graph().items()
        if any(in_package(source, p) for p in BELOW_PUBLIC)
        for target, line in edges
        if in_package(target, PUBLIC)
    ]
    assert not wrong, "pages/moderation import the public part:\n" + "\n".join(wrong)


# The house top-down: each part may import only the parts below it. `govportal` is the project
# package (settings, accounts, backups); its URL configuration wires the public part in.
LAYERS = {
    "frontend": set(),  # a separate process: only the API over HTTP
    "govportal": set(),
    "pages": {"govportal"},
    "moderation": {"pages", "govportal"},
    "reports": {"moderation", "pages", "govportal"},
    PUBLIC: {"pages", "moderation", "govportal"},
}
ROOTS = ("govportal.urls", "govportal.settings", "govportal.wsgi")
# The demo seed builds the whole site, the chain and its demo approvals included.
DEMO_SEED = {"pages.seed": {"moderation"}, "pages.management.commands.seed_demo": {"moderation"}}


def part_of(module):
    return PUBLIC if in_package(module, PUBLIC) else module.split(".")[0]


def test_each_part_imports_only_the_parts_below_it():
    wrong = []
    for source, edges in import_graph().items():
        if any(in_package(source, root) for root in ROOTS):
            continue
        allowed = set(LAYERS[part_of(source)])
        for seed, extra in DEMO_SEED.items():
            if in_package(source, seed):
                allowed |= extra
        for target, line in edges:
            if part_of(target) != part_of(source) and part_of(target) not in allowed:
                wrong.append(f"{source} -> {target} (line {line})")
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


# Where an import inside a function is the rule, not a dodge: an app's ready() runs once the
# models are loaded (Django's documented place to connect signals), and the front end's command
# line loads only what the chosen command needs.
FUNCTION_IMPORTS_ALLOWED = {("apps", "ready"), ("__main__", "main")}


def test_no_project_import_hidden_in_a_function():
    hidden = []
    for module, (path, is_package) in project_modules().items():
        in_functions = []
        imports_of(module, path, is_package, project_modules(), in_functions)
        hidden += [
            f"{module}:{line} in {function}()"
            for line, function in in_functions
            if (module.rpartition(".")[2], function) not in FUNCTION_IMPORTS_ALLOWED
        ]
    assert not hidden, "project imports inside functions:\n" + "\n".join(hidden)


def test_the_checks_see_circles_and_wrong_way_imports(tmp_path):
    """The graph finds a circle through an import hidden in a function, and a relative one."""
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "__init__.py").write_text("")
    (tmp_path / "pages" / "a.py").write_text("from .b import thing\n")
    (tmp_path / "pages" / "b.py").write_text("def f():\n    from pages import a\n")
    (tmp_path / "pages" / "c.py").write_text("import govportal.api.views\n")
    for package in PACKAGES:
        (tmp_path / package).mkdir(exist_ok=True)
    (tmp_path / "govportal" / "api").mkdir()
    (tmp_path / "govportal" / "api" / "__init__.py").write_text("")
    (tmp_path / "govportal" / "api" / "views.py").write_text("")
    graph = import_graph(tmp_path)
    assert cycles(graph) == [["pages.a", "pages.b"]]
    assert ("govportal.api.views", 1) in graph["pages.c"]
