"""Count the function parameters typed exactly `Any` (and the acting user `by: Any`) in the
project's code, outside migrations, tests and bench: `python scripts/any_params.py`."""

from __future__ import annotations

import ast
import sys
from collections import Counter
from pathlib import Path

SKIP = {".venv", "migrations", "tests", "bench", "node_modules"}


def main(root: Path) -> None:
    total = typed_any = by_any = 0
    per_package: Counter[str] = Counter()
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        if SKIP & set(parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            args = node.args
            for arg in args.posonlyargs + args.args + args.kwonlyargs:
                if arg.arg in ("self", "cls"):
                    continue
                total += 1
                if arg.annotation is not None and ast.unparse(arg.annotation) in (
                    "Any",
                    "typing.Any",
                ):
                    typed_any += 1
                    per_package[parts[0]] += 1
                    by_any += arg.arg == "by"
    print(f"parameters: {total}, typed Any: {typed_any}, by: Any: {by_any}")
    for package, count in per_package.most_common():
        print(f"  {package}: {count}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent)
