"""The verdict of .ci/audit on pip-audit's JSON report (`-f json`).

Exit 0: every locked package was looked up and none has a known vulnerability.
Exit 1: a package has a known vulnerability (each printed with its advisory and fix).
Exit 2: the audit is incomplete: some or all packages could not be looked up (the advisory
        service unreachable, an offline or partial mirror) or the report could not be read.
        That is not a pass: nothing is known about the packages not audited.
"""

from __future__ import annotations

import json
import sys


def main(path: str) -> int:
    try:
        with open(path, encoding="utf-8") as handle:
            report = json.load(handle)
        deps = report["dependencies"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"pip-audit: NOT AUDITED: no readable report ({exc.__class__.__name__}: {exc}).")
        return 2
    vulnerable = [d for d in deps if d.get("vulns")]
    skipped = [d for d in deps if d.get("skip_reason") or "version" not in d]
    audited = len(deps) - len(skipped)
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fix yet"
            print(f"VULNERABLE {dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixes})")
    # Every name when a few were missed; when none was looked up, the count says it all.
    for dep in skipped if audited else []:
        reason = dep.get("skip_reason") or "no version in the report"
        print(f"NOT AUDITED {reason.rsplit(': ', 1)[-1].replace(' (', ' ').rstrip(')')}")
    if vulnerable:
        print(
            f"pip-audit: {audited} of {len(deps)} audited, "
            f"{len(vulnerable)} with known vulnerabilities."
        )
        return 1
    if skipped:
        what = "nothing" if not audited else f"only {audited} of {len(deps)} packages"
        print(
            f"pip-audit: NOT AUDITED: {audited} of {len(deps)} audited; the advisory service "
            f"could not look up {len(skipped)} (unreachable, or an offline or partial mirror). "
            f"This run checked {what}: it is not a pass."
        )
        return 2
    print(f"pip-audit: {audited} of {len(deps)} audited, none with a known vulnerability.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
