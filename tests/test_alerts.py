"""The Prometheus alert rules and the Grafana dashboard: valid, tested, and
reading metrics the site really exports."""

import json
import re
import subprocess
from pathlib import Path

from django.test import Client

import pytest

from tests.test_metrics import TOKEN, find_promtool, scrape

SITE = Path(__file__).resolve().parent.parent / "site"
RULES = SITE / "prometheus" / "alerts.yml"
RULE_TESTS = SITE / "prometheus" / "alerts_test.yml"
DASHBOARD = SITE / "grafana" / "dashboard.json"

# A metric name right before a selector or a range: name{...} or name[...].
SELECTED = re.compile(r"([a-zA-Z_:][a-zA-Z0-9_:]*)\s*[{\[]")
PROMQL_WORDS = {"by", "without", "on", "ignoring", "group_left", "group_right"}


@pytest.fixture
def promtool() -> str:
    return find_promtool()


def run(*command: str) -> subprocess.CompletedProcess:
    # The tests' own commands, on the repository's own files.
    return subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603


def alert_expressions() -> dict[str, str]:
    """Each alert's name and expression, as alerts.yml lays them out."""
    text = RULES.read_text()
    found = re.findall(r"- alert: (\w+)\n(?:\s+#.*\n)*\s+expr: \|\n\s+(.+)\n", text)
    assert found, "no alerts read from alerts.yml"
    assert len(found) == text.count("- alert: ")
    return dict(found)


def dashboard() -> dict:
    return json.loads(DASHBOARD.read_text())


def dashboard_panels() -> list[dict]:
    return [panel for panel in dashboard()["panels"] if panel["type"] != "row"]


def dashboard_expressions() -> list[str]:
    return [
        target["expr"] for panel in dashboard_panels() for target in panel["targets"]
    ]


def metric_names(expression: str) -> set[str]:
    # Label values (quoted) may hold anything, regular expressions included.
    expression = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expression)
    names = set(SELECTED.findall(expression)) - PROMQL_WORDS
    names |= set(re.findall(r"\b(?:deltacrown|django)_\w+", expression))
    return names


def normalised(expression: str) -> str:
    return re.sub(r"\s+", " ", expression).strip()


# The rules.


def test_alert_rules_pass_promtool_check(promtool):
    checked = run(promtool, "check", "rules", str(RULES))

    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"SUCCESS: {len(alert_expressions())} rules found" in checked.stdout


def test_alert_rule_cases_pass_promtool_test(promtool):
    tested = run(promtool, "test", "rules", str(RULE_TESTS))

    assert tested.returncode == 0, tested.stdout + tested.stderr


def test_every_alert_has_a_case_that_fires_and_one_that_does_not():
    cases = RULE_TESTS.read_text()

    for alert in alert_expressions():
        evaluations = re.findall(
            rf"alertname: {alert}\n\s+exp_alerts:( \[\]|\n\s+- exp_labels:)", cases
        )
        assert " []" in evaluations, f"{alert} has no case where it stays quiet"
        assert any(e != " []" for e in evaluations), f"{alert} never fires"


def test_every_alert_says_what_it_means_and_how_urgent_it_is():
    text = RULES.read_text()
    blocks = text.split("- alert: ")[1:]

    for block in blocks:
        assert re.search(r"severity: (page|ticket)\n", block), block
        assert "summary: " in block and "description: >-" in block, block


# The dashboard.


def test_dashboard_is_a_grafana_dashboard_on_a_chosen_prometheus():
    board = dashboard()

    assert board["schemaVersion"] >= 39
    assert board["uid"] and board["title"]
    variables = {v["name"]: v for v in board["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource"
    assert variables["datasource"]["query"] == "prometheus"
    ids = [panel["id"] for panel in board["panels"]]
    assert len(ids) == len(set(ids))
    for panel in dashboard_panels():
        chosen = {"type": "prometheus", "uid": "${datasource}"}
        assert panel["datasource"] == chosen, panel["title"]
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            assert target["datasource"] == chosen, panel["title"]
        place = panel["gridPos"]
        assert place["x"] + place["w"] <= 24, panel["title"]


def test_dashboard_queries_are_valid_promql(promtool, tmp_path):
    # Grafana fills in $__rate_interval; promtool reads the rest as Prometheus.
    rules = {
        "groups": [
            {
                "name": "dashboard",
                "rules": [
                    {
                        "record": f"dashboard:query{number}",
                        "expr": expression.replace("$__rate_interval", "5m"),
                    }
                    for number, expression in enumerate(dashboard_expressions())
                ],
            }
        ]
    }
    # JSON is YAML, so promtool reads this file as a rules file.
    queries = tmp_path / "dashboard_rules.yml"
    queries.write_text(json.dumps(rules))

    checked = run(promtool, "check", "rules", str(queries))

    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_dashboard_shows_what_each_alert_watches():
    shown = {normalised(expression) for expression in dashboard_expressions()}

    for alert, expression in alert_expressions().items():
        watched = normalised(expression).rsplit(" > ", 1)[0]
        assert watched in shown, f"no dashboard panel shows {alert}: {watched}"


# Names against the scrape.


def test_every_metric_in_the_rules_and_dashboard_is_exported(player, settings):
    settings.METRICS_TOKEN = TOKEN
    client = Client()
    client.force_login(player)
    client.get("/@Rakib/")
    client.get("/me/settings/")

    exported = scrape().names()

    used = set()
    for expression in [*alert_expressions().values(), *dashboard_expressions()]:
        used |= metric_names(expression)
    assert {
        "deltacrown_logins_total",
        "deltacrown_db_queries_per_request_bucket",
        "django_http_requests_latency_seconds_by_view_method_bucket",
    } <= used
    assert used <= exported, f"not exported: {sorted(used - exported)}"
