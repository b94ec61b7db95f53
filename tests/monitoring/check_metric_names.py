"""Every Kyros series the alert rules and the Grafana dashboard query is one the server exports.

The exported names are read from the server's metrics module and the health domain's scrape
route (which writes the job gauges), so renaming a metric without updating docs/monitoring fails
here. Usage: python3 tests/monitoring/check_metric_names.py
"""

import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
SERVER = ROOT / "backend/crates/server/src"
METRICS_SOURCES = sorted(SERVER.glob("metrics/*.rs")) + [SERVER / "health/metrics.rs"]
HISTOGRAM_SUFFIXES = ("_bucket", "_count", "_sum")
NAME = re.compile(r"\bkyros_[a-z_]+\b")


def exported() -> set[str]:
    names = set()
    for source in METRICS_SOURCES:
        text = source.read_text()
        # Names of recorded series are string constants; gauges written at scrape time carry
        # their name in a `# TYPE` line.
        names.update(re.findall(r'"(kyros_[a-z_]+)"', text))
        names.update(re.findall(r"# TYPE (kyros_[a-z_]+) ", text))
    return names


def queried() -> dict[str, set[str]]:
    alerts = (ROOT / "docs/monitoring/alerts.yml").read_text()
    expressions = {"docs/monitoring/alerts.yml": set(NAME.findall(alerts))}
    dashboard = json.loads((ROOT / "docs/monitoring/grafana-dashboard.json").read_text())
    dashboard_names = set()
    for panel in dashboard["panels"]:
        for target in panel["targets"]:
            dashboard_names.update(NAME.findall(target["expr"]))
    expressions["docs/monitoring/grafana-dashboard.json"] = dashboard_names
    return expressions


def base_name(name: str) -> str:
    for suffix in HISTOGRAM_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def main() -> int:
    known = exported()
    if not known:
        print("no metric names found in the server's metrics sources", file=sys.stderr)
        return 1
    unknown = {
        path: sorted(name for name in names if name not in known and base_name(name) not in known)
        for path, names in queried().items()
    }
    failed = False
    for path, names in unknown.items():
        for name in names:
            print(f"{path}: `{name}` is not a metric the server exports", file=sys.stderr)
            failed = True
    if not failed:
        print(f"the alert rules and the dashboard query only exported metrics ({len(known)} known)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
