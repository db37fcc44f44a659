#!/usr/bin/env python3
"""Checks ops/ against the service: the Grafana dashboard is importable-looking
(inputs, panels, targets, variables) and every metric and label that the
dashboard, the alerting rules and their tests name is one the service exports.

Usage: check_dashboard.py [SOURCE_DIR]   (default: the repository holding this file)
Exit status 0 when everything holds, 1 with one line per problem otherwise.

The exported metrics are read from the string literals of
observability/service_metrics.cpp, so a renamed metric fails here instead of
leaving a panel or an alert silently empty.
"""

import json
import pathlib
import re
import sys

try:
    import yaml  # python3-yaml
except ImportError:
    yaml = None

DASHBOARD = "ops/grafana/heymovie-dashboard.json"
RULES = "ops/prometheus/heymovie-alerts.yml"
RULES_TEST = "ops/prometheus/heymovie-alerts-test.yml"
METRICS_SOURCE = "observability/service_metrics.cpp"

# Exported by the process metrics (observability/process_metrics.cpp), which
# fills in its families without registering names in METRICS_SOURCE.
PROCESS_METRICS = {
    "process_cpu_seconds_total", "process_resident_memory_bytes",
    "process_virtual_memory_bytes", "process_open_fds", "process_max_fds",
    "process_start_time_seconds",
}
# Prometheus's own series for every scrape target.
SCRAPE_METRICS = {"up"}
# Labels Prometheus adds (job, instance) or a histogram carries (le).
IMPLICIT_LABELS = {"job", "instance", "le", "__name__"}
HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")
GRAFANA_BUILTINS = {
    "__rate_interval", "__interval", "__interval_ms", "__range", "__range_s",
    "__range_ms", "__from", "__to", "__dashboard",
}

problems = []


def problem(where, text):
    problems.append(f"{where}: {text}")


# --- What the service exports ------------------------------------------------

def exported_metrics(source):
    """(plain metric names, histogram names, label names) in METRICS_SOURCE.

    A literal is a metric name when it starts with heymovie_; whether it is a
    histogram (exported as _bucket, _sum and _count) is told by the call it is
    an argument of (add_histogram(...), histograms(...)). Labels are the other
    identifier-like literals: the file registers them in accessor functions
    apart from their metric, so they are checked as one vocabulary rather
    than per metric.
    """
    plain, histograms, labels = set(), set(), set()
    for m in re.finditer(r'"((?:\\.|[^"\\])*)"', source):
        text = m.group(1)
        if re.fullmatch(r"heymovie_[a-z0-9_]+", text):
            call = re.search(r"(\w+)\s*\([^()\"]*$", source[:m.start()])
            histogram = call and "histogram" in call.group(1).lower()
            (histograms if histogram else plain).add(text)
        elif re.fullmatch(r"[a-z_][a-z0-9_]*", text):
            labels.add(text)
    return plain, histograms, labels


# --- PromQL, as far as names go ----------------------------------------------

TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<string>"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|`[^`]*`)
  | (?P<var>\$\{\w+(?::\w+)?\}|\$\w+)  # Grafana's, e.g. $__rate_interval
  | (?P<number>\.?\d[\w.]*)
  | (?P<ident>[A-Za-z_:][\w:]*)
  | (?P<punct>[{}()\[\],])
  | (?P<op>[=!<>~+\-*/%^@]+)
""", re.X)
AGGREGATIONS = {
    "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count",
    "count_values", "bottomk", "topk", "quantile",
}
KEYWORDS = AGGREGATIONS | {
    "and", "or", "unless", "bool", "offset", "inf", "nan", "atan2",
    "group_left", "group_right",
}
GROUPING = {"by", "without", "on", "ignoring", "group_left", "group_right"}
VARIABLE = re.compile(r"\$\{\w+(?::\w+)?\}|\$\w+")


def tokenize(expr):
    tokens, pos = [], 0
    while pos < len(expr):
        m = TOKEN.match(expr, pos)
        if not m:
            raise ValueError(f"cannot read {expr[pos:pos + 20]!r}")
        if m.lastgroup != "space":
            tokens.append((m.lastgroup, m.group()))
        pos = m.end()
    return tokens


def scan(expr):
    """(metric names, label names) an expression uses."""
    tokens = tokenize(expr) + [(None, None)]
    metrics, labels = set(), set()

    def matchers(i):  # tokens[i] is '{'; returns the index after its '}'
        i += 1
        while tokens[i][1] not in ("}", None):
            if tokens[i][0] == "ident" and tokens[i + 1][0] == "op":
                labels.add(tokens[i][1])
            i += 1
        return i + 1

    i = 0
    while tokens[i][0] is not None:
        kind, text = tokens[i]
        following = tokens[i + 1][1]
        if kind == "ident" and text in GROUPING and following == "(":
            i += 2
            while tokens[i][1] not in (")", None):
                if tokens[i][0] == "ident":
                    labels.add(tokens[i][1])
                i += 1
        elif kind == "ident" and following != "(" and text not in KEYWORDS:
            metrics.add(text)
            if following == "{":
                i = matchers(i + 1)
                continue
        elif text == "{":  # a selector without a name
            i = matchers(i)
            continue
        elif text == "[":  # a range or subquery: durations, $__rate_interval
            while tokens[i][1] not in ("]", None):
                i += 1
        i += 1
    return metrics, labels


def check_expr(where, expr, exported, vocabulary):
    """Checks one expression's names; returns its Grafana variables."""
    try:
        metrics, labels = scan(expr)
    except ValueError as e:
        problem(where, f"{e} in {expr!r}")
        return set()
    if not metrics:
        problem(where, f"names no metric: {expr!r}")
    for name in sorted(metrics - exported):
        problem(where, f"{name} is not a metric the service exports")
    for name in sorted(labels - vocabulary):
        problem(where, f"label {name} is on none of the service's metrics")
    # Variables sit in label values too, so they are taken from the text.
    return set(VARIABLE.findall(expr))


def variable_name(ref):
    return re.fullmatch(r"\$\{?(\w+)(?::\w+)?\}?", ref).group(1)


# --- The dashboard -----------------------------------------------------------

def all_panels(panels):
    for p in panels:
        yield p
        # A collapsed row keeps its panels inside it.
        yield from all_panels(p.get("panels", []))


def check_dashboard(path, exported, vocabulary):
    try:
        dash = json.loads(path.read_text())
    except (OSError, ValueError) as e:
        problem(DASHBOARD, f"not JSON: {e}")
        return set()
    for key in ("title", "uid", "schemaVersion", "panels", "templating"):
        if key not in dash:
            problem(DASHBOARD, f"no {key}")
    if not isinstance(dash.get("schemaVersion"), int):
        problem(DASHBOARD, "schemaVersion is not an integer")
    if dash.get("id") is not None:
        problem(DASHBOARD, "id must be null: an import gets a new one")

    # Every ${DS_...} must be an input, or the import leaves it unresolved.
    inputs = {i.get("name"): i for i in dash.get("__inputs", [])}
    if inputs.get("DS_PROMETHEUS", {}).get("pluginId") != "prometheus":
        problem(DASHBOARD, "no __inputs entry DS_PROMETHEUS for a prometheus datasource")
    for ref in set(re.findall(r"\$\{(DS_\w+)\}", path.read_text())):
        if ref not in inputs:
            problem(DASHBOARD, f"${{{ref}}} is not in __inputs")

    defined = set(GRAFANA_BUILTINS)
    used_variables = set()
    for v in dash.get("templating", {}).get("list", []):
        defined.add(v.get("name"))
        where = f"{DASHBOARD} variable {v.get('name')}"
        query = v.get("query")
        query = query.get("query", "") if isinstance(query, dict) else query or ""
        if v.get("type") != "query":
            continue
        m = re.fullmatch(r"\s*label_values\((?:(.*),)?\s*(\w+)\s*\)\s*", query)
        if not m:
            problem(where, f"not a label_values() query: {query!r}")
            continue
        if m.group(1):
            used_variables |= check_expr(where, m.group(1), exported, vocabulary)
        if m.group(2) not in vocabulary:
            problem(where, f"label {m.group(2)} is on none of the service's metrics")
    for needed in ("job", "instance"):
        if needed not in defined:
            problem(DASHBOARD, f"no template variable {needed}")

    ids, shown = set(), set()
    panels = list(all_panels(dash.get("panels", [])))
    for p in panels:
        where = f"{DASHBOARD} panel {p.get('id')} {p.get('title')!r}"
        if not isinstance(p.get("id"), int) or p["id"] in ids:
            problem(where, "id missing or not unique")
        ids.add(p.get("id"))
        grid = p.get("gridPos", {})
        if not all(isinstance(grid.get(k), int) for k in "xywh") \
                or grid["x"] + grid["w"] > 24:
            problem(where, f"bad gridPos {grid}")
        if p.get("type") == "row":
            continue
        if not p.get("type"):
            problem(where, "no type")
        if p.get("datasource", {}).get("uid") != "${DS_PROMETHEUS}":
            problem(where, "datasource is not ${DS_PROMETHEUS}")
        targets = p.get("targets") or []
        if not targets:
            problem(where, "no targets")
        refs = [t.get("refId") for t in targets]
        if len(set(refs)) != len(refs) or None in refs:
            problem(where, f"refIds missing or repeated: {refs}")
        for t in targets:
            expr = t.get("expr", "")
            if not expr.strip():
                problem(where, f"target {t.get('refId')} has no expr")
                continue
            used_variables |= check_expr(where, expr, exported, vocabulary)
            shown |= scan(expr)[0]
            for label in re.findall(r"\{\{\s*(\w+)\s*\}\}", t.get("legendFormat", "")):
                if label not in vocabulary:
                    problem(where, f"legend label {label} is on none of the service's metrics")
    for ref in sorted(used_variables):
        if variable_name(ref) not in defined and not ref.startswith("${DS_"):
            problem(DASHBOARD, f"{ref} is not a template variable")
    print(f"{DASHBOARD}: {len(panels)} panels")
    return shown


# --- The alerting rules and their tests --------------------------------------

def block_values(text, key):
    """Without python3-yaml: the values of `key:` (plain or |/> blocks)."""
    values, lines = [], text.splitlines()
    for n, line in enumerate(lines):
        m = re.match(rf"^(\s*)(?:- )?{key}:\s*(.*)$", line)
        if not m:
            continue
        indent, value = len(m.group(1)), m.group(2)
        if value[:1] in ("|", ">"):
            block = []
            for more in lines[n + 1:]:
                if more.strip() and len(more) - len(more.lstrip()) <= indent:
                    break
                block.append(more)
            value = "\n".join(block)
        values.append(value.strip().strip("'\""))
    return values


def check_rules(path, test_path, exported, vocabulary):
    text, test_text = path.read_text(), test_path.read_text()
    if yaml is None:
        print("python3-yaml missing: checking the rules' names only")
        alerts = block_values(text, "alert")
        exprs = list(zip(alerts, block_values(text, "expr")))
        tested = set(block_values(test_text, "alertname"))
        firing = tested
        series = block_values(test_text, "series")
        templates = text
    else:
        rules = [r for g in yaml.safe_load(text)["groups"] for r in g["rules"]]
        alerts = [r.get("alert") for r in rules]
        exprs = [(r.get("alert"), r.get("expr", "")) for r in rules]
        for r in rules:
            where = f"{RULES} {r.get('alert') or r.get('record')}"
            if "alert" not in r:
                problem(where, "not an alerting rule")
            if "for" not in r:
                problem(where, "no for: a single bad scrape would page")
            if r.get("labels", {}).get("severity") not in ("warning", "critical"):
                problem(where, "labels.severity is not warning or critical")
            for key in ("summary", "description"):
                if not r.get("annotations", {}).get(key):
                    problem(where, f"no annotations.{key}")
        tests = yaml.safe_load(test_text)["tests"]
        cases = [c for t in tests for c in t.get("alert_rule_test", [])]
        tested = {c["alertname"] for c in cases}
        firing = {c["alertname"] for c in cases if c.get("exp_alerts")}
        series = [s["series"] for t in tests for s in t.get("input_series", [])]
        templates = json.dumps([r.get("annotations", {}) for r in rules])

    for alert, expr in exprs:
        check_expr(f"{RULES} {alert}", expr, exported, vocabulary)
    for label in re.findall(r"\$labels\.(\w+)", templates):
        if label not in vocabulary:
            problem(RULES, f"annotation label {label} is on none of the service's metrics")
    # A rule no test makes fire could be broken without anyone noticing.
    for alert in alerts:
        if alert not in firing:
            problem(RULES_TEST, f"no test case expects {alert} to fire")
    for alert in sorted(tested - set(alerts)):
        problem(RULES_TEST, f"tests {alert}, which {RULES} does not define")
    for s in series:
        check_expr(f"{RULES_TEST} series", s, exported, vocabulary)
    print(f"{RULES}: {len(alerts)} alerts; {RULES_TEST}: {len(series)} series")


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1
                        else pathlib.Path(__file__).resolve().parents[2])
    source = (root / METRICS_SOURCE).read_text()
    plain, histograms, labels = exported_metrics(source)
    if not plain | histograms:
        print(f"{METRICS_SOURCE}: no heymovie_* names found; has the registration moved?")
        return 1
    exported = (plain | PROCESS_METRICS | SCRAPE_METRICS | {"heymovie_build_info"}
                | {h + s for h in histograms for s in HISTOGRAM_SUFFIXES})
    vocabulary = labels | IMPLICIT_LABELS | {"version", "commit"}

    shown = check_dashboard(root / DASHBOARD, exported, vocabulary)
    check_rules(root / RULES, root / RULES_TEST, exported, vocabulary)

    # What the service exports should be on the dashboard; for a histogram
    # any one of its series will do.
    for name in sorted(plain | PROCESS_METRICS | {"heymovie_build_info"}):
        if name not in shown:
            problem(DASHBOARD, f"no panel shows {name}")
    for name in sorted(histograms):
        if not any(name + s in shown for s in HISTOGRAM_SUFFIXES):
            problem(DASHBOARD, f"no panel shows {name}")

    for p in dict.fromkeys(problems):  # once each, in order
        print(p)
    if problems:
        print(f"{len(problems)} problem(s)")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
