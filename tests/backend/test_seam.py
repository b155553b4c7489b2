"""The engine seam: only backend folders know an engine. Every Whoosh import
lives in backend/whoosh/ (there is none today), and searchidx outside
backend/ uses a backend only through backend/base.py and the registry, so a
new backend is one more folder."""
from __future__ import annotations

import ast
from pathlib import Path

import searchidx

PACKAGE = Path(searchidx.__file__).parent


def _imports(path: Path) -> set[str]:
    """The modules a file imports, relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(("searchidx",) + path.relative_to(PACKAGE).with_suffix("").parts[:-1])
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            out.add(module)
            out.update(f"{module}.{a.name}" for a in node.names)
    return out


def _modules():
    return [p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts]


def test_only_the_whoosh_backend_imports_whoosh():
    offenders = [str(p.relative_to(PACKAGE)) for p in _modules()
                 if not p.is_relative_to(PACKAGE / "backend" / "whoosh")
                 and any(m == "whoosh" or m.startswith("whoosh.") for m in _imports(p))]
    assert offenders == []


def test_searchidx_uses_backends_only_through_the_seam():
    allowed = {"searchidx.backend", "searchidx.backend.base"}
    offenders = []
    for p in _modules():
        if p.is_relative_to(PACKAGE / "backend"):
            continue
        for m in _imports(p):
            if m.startswith("searchidx.backend.") and not any(
                    m == a or m.startswith("searchidx.backend.base.") for a in allowed) \
                    and m.rsplit(".", 1)[0] not in allowed:
                offenders.append((str(p.relative_to(PACKAGE)), m))
    assert offenders == []


def test_the_imports_are_found():
    """(The checks above would pass on a parser that finds nothing.)"""
    imports = _imports(PACKAGE / "search" / "searcher.py")
    assert "searchidx.backend.base" in imports and "searchidx.query.syntax" in imports


def test_the_native_backend_has_all_the_seam_declares(tmp_path):
    """What the rest of searchidx uses of a backend is declared in base.py:
    a second backend needs to implement exactly that."""
    from searchidx.backend import base
    from searchidx.backend.native import BACKEND

    BACKEND.create(str(tmp_path))
    reader, writer = BACKEND.reader(str(tmp_path)), BACKEND.writer(str(tmp_path), 64 << 20)
    try:
        for proto, impl in ((base.Reader, reader), (base.Writer, writer), (base.Backend, BACKEND)):
            declared = {n for n in vars(proto) if not n.startswith("_")} | set(proto.__annotations__)
            missing = [n for n in declared if not hasattr(impl, n)]
            assert not missing, (proto.__name__, missing)
    finally:
        writer.abort()
        reader.close()
