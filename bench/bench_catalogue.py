"""The public catalogue at 100,000 published micro-credentials across 500 providers, on PostgreSQL.

What is generated (in bench database `credence_bench_catalogue`, made afresh unless it already holds
the same data): 500 provider organisations with a legal seat; 100,000 micro-credentials, each with one
published version (title, summary, target learners, three learning outcomes, level, credits, hours,
weeks, form, language, fee, field, assessment: written from a domain vocabulary, every row different)
and its catalogue search entry with the weighted tsvector. The versions are copied from one version made
through the services (so every column is valid), with the generated values put in; the audit log and
the history tables are not filled for the generated rows.

Figures (all from one run):
- search: text + two facets (EQF level and form of participation), the whole page through Django's
  test client (middleware, view, template), p95; and the same two SQL statements the selector sends
  (one scan giving the facet counts with GROUPING SETS, the total and the page's ids; then the 20 rows
  by key) run raw through a cursor, p95; and their ratio.
- the micro-credential page, p95.
- API throughput under wrk (2 threads, 16 connections, 10 s, random page 1-200 so that the API's cache
  rarely helps) against gunicorn with 4 workers, and the same for a minimal raw-SQL Django view of the
  same page query (count, then top 20 by rank) in the same server (bench/catalogue_urls.py, settings in
  bench/catalogue_settings.py); and the API with a repeated URL (its cache answering).
- the machine's load average before and after, since the 2 cores are shared.

Run: `make bench ONLY=catalogue` (needs PostgreSQL at BENCH_PG, default postgres://postgres@127.0.0.1:5432,
and the Debian package wrk).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

NAME = "catalogue"
PARAMS = {
    "micro_credentials": 100_000,
    "providers": 500,
    "search_runs": 200,
    "page_runs": 200,
    "wrk": "-t2 -c16 -d10s",
    "gunicorn_workers": 4,
    "database": "credence_bench_catalogue",
}
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")

SECTORS = ["data", "health", "energy", "business"]  # each in about a quarter of the rows
TOPICS = {
    "data": [
        "data analysis",
        "machine learning",
        "data visualisation",
        "statistics",
        "databases",
        "Python programming",
        "business intelligence",
        "data governance",
    ],
    "health": [
        "patient safety",
        "health records",
        "infection control",
        "mental health first aid",
        "care coordination",
        "nutrition",
        "clinical coding",
        "public health",
    ],
    "energy": [
        "solar installation",
        "hydrogen systems",
        "energy efficiency",
        "battery storage",
        "wind turbines",
        "heat pumps",
        "grid integration",
        "carbon accounting",
    ],
    "business": [
        "project management",
        "digital marketing",
        "supply chain",
        "accounting basics",
        "leadership",
        "negotiation",
        "entrepreneurship",
        "customer service",
    ],
}
LEVELS = [
    "Introduction to",
    "Foundations of",
    "Applied",
    "Advanced",
    "Professional practice in",
    "Essentials of",
]
VERBS = [
    "apply",
    "analyse",
    "evaluate",
    "design",
    "explain",
    "plan",
    "implement",
    "assess",
    "communicate",
    "compare",
]
OBJECTS = [
    "methods",
    "standards",
    "tools",
    "risks",
    "regulations",
    "workflows",
    "evidence",
    "case studies",
    "systems",
    "results",
]
CONTEXTS = [
    "in a small team",
    "for a real client",
    "in the workplace",
    "under supervision",
    "with common software",
    "in line with EU rules",
    "for non-specialists",
    "in a regulated setting",
]
LEARNERS = [
    "working professionals",
    "career changers",
    "recent graduates",
    "technicians",
    "managers",
    "public servants",
    "returning learners",
]
FORMS = ["online self-paced", "online scheduled", "blended", "on site"]
LANGUAGES = ["en"] * 7 + ["de", "fr", "es"]
FIELDS = ["0613", "0913", "0713", "0413", "0411", "0414", "0914", "0712"]
QA = (
    ["internally reviewed"] * 8
    + ["externally accredited"] * 4
    + ["under review"] * 2
    + ["review overdue"]
    + ["not recorded"] * 5
)
COUNTRIES = ["IE", "DE", "FR", "ES", "NL", "FI", "PL", "IT", "AU", "CA"]


def _row(i: int, rng: random.Random, providers: int) -> list[Any]:
    sector = SECTORS[i % 4]
    topic = rng.choice(TOPICS[sector])
    title = f"{rng.choice(LEVELS)} {topic}"
    summary = (
        f"A short {sector} course on {topic}. Learners {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
        f"{rng.choice(CONTEXTS)} and {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(CONTEXTS)}. "
        f"Designed with employers for {rng.choice(LEARNERS)}."
    )
    outcomes = [
        f"{rng.choice(VERBS).capitalize()} {topic} {rng.choice(OBJECTS)} {rng.choice(CONTEXTS)}."
        for _ in range(3)
    ]
    hours = rng.choice([12, 25, 30, 50, 60, 75, 100, 125, 150, 250])
    fee = rng.choice([0, 0, 95, 250, 450, 650, 900, 1200, 1800])
    return [
        i,
        i % providers,
        title,
        summary,
        rng.choice(LEARNERS),
        *outcomes,
        rng.choice([4, 5, 6, 7]),
        round(hours / 25, 1),
        hours,
        rng.choice([4, 6, 8, 10, 12]),
        rng.choice(FORMS),
        rng.choice(LANGUAGES),
        fee,
        rng.choice(FIELDS),
        rng.choice(["assessment based certificate"] * 4 + ["attendance certificate"]),
        rng.choice(QA),
        i % 3 == 0,
        rng.randint(0, 900),
    ]


SRC_COLUMNS = (
    "i int, org int, title text, summary text, target text, lo1 text, lo2 text, lo3 text, eqf int, "
    "credits numeric, hours int, weeks numeric, form text, lang text, fee numeric, field text, assess text, "
    "qa text, stackable boolean, age int"
)


def _generate(count: int, providers: int) -> None:
    from django.db import connection
    from tests.factories import make_organisation, make_version

    from credence.microcredentials.models import LearningOutcome, MicroCredentialVersion
    from credence.organisations.models import Organisation

    template_org = make_organisation("Bench Template University", acronym="BTU")
    template = make_version(template_org, status="published", code="BENCH-TEMPLATE")
    version_columns = [f.column for f in MicroCredentialVersion._meta.concrete_fields if f.column != "id"]
    org_columns = [f.column for f in Organisation._meta.concrete_fields if f.column != "id"]
    rng = random.Random(20261124)
    raw = connection.connection
    with raw.cursor() as cur:
        cur.execute("DROP INDEX IF EXISTS catalogue_entry_vector")
        org_values = {
            "slug": "'bench-p-' || g",
            "name": "'Bench Provider ' || g || CASE mod(g, 3) WHEN 0 THEN ' University' WHEN 1 THEN ' College' ELSE ' Academy' END",
            "name_english": "''",
            "kind": "CASE mod(g, 3) WHEN 0 THEN 'higher_education' WHEN 1 THEN 'college' ELSE 'alternative_provider' END",
            "qa_policy_url": "'https://provider' || g || '.example/qa-policy'",
        }
        cur.execute(
            f"INSERT INTO organisations_organisation ({', '.join(org_columns)}) "
            f"SELECT {', '.join(org_values.get(c, 't.' + c) for c in org_columns)} "
            f"FROM organisations_organisation t, generate_series(0, {providers - 1}) g WHERE t.id = %s",
            [template_org.pk],
        )
        countries = "ARRAY[" + ", ".join(f"'{c}'" for c in COUNTRIES) + "]"
        cur.execute(
            "INSERT INTO organisations_location (organisation_id, country, city, postcode, is_legal_seat) "
            f"SELECT id, ({countries})[1 + (id % {len(COUNTRIES)})], 'City', '', true FROM organisations_organisation "
            "WHERE slug LIKE 'bench-p-%'"
        )
        cur.execute(f"CREATE TEMP TABLE bench_src ({SRC_COLUMNS})")
        with cur.copy("COPY bench_src FROM STDIN") as copy:
            for i in range(count):
                copy.write_row(_row(i, rng, providers))
        cur.execute(
            "INSERT INTO microcredentials_microcredential (organisation_id, code, created_at) "
            "SELECT o.id, 'BC-' || s.i, now() FROM bench_src s JOIN organisations_organisation o "
            "ON o.slug = 'bench-p-' || s.org"
        )
        overrides = {
            "micro_credential_id": "mc.id",
            "number": "1",
            "status": "'published'",
            "title": "s.title",
            "summary": "s.summary",
            "target_learners": "s.target",
            "languages": "to_jsonb(ARRAY[s.lang])",
            "credit_system": "'ECTS'",
            "credits": "s.credits",
            "notional_hours": "s.hours",
            "contact_hours": "NULL",
            "duration_weeks": "s.weeks",
            "eqf_level": "s.eqf",
            "field_of_study": "s.field",
            "assessment_certification": "s.assess",
            "form_of_participation": "s.form",
            "fee_amount": "s.fee",
            "fee_currency": "'EUR'",
            "approved_at": "now() - make_interval(days => s.age + 10)",
            "published_at": "now() - make_interval(days => s.age)",
        }
        cur.execute(
            f"INSERT INTO microcredentials_microcredentialversion ({', '.join(version_columns)}) "
            f"SELECT {', '.join(overrides.get(c, 't.' + c) for c in version_columns)} "
            "FROM bench_src s JOIN microcredentials_microcredential mc ON mc.code = 'BC-' || s.i "
            "CROSS JOIN microcredentials_microcredentialversion t WHERE t.id = %s",
            [template.pk],
        )
        cur.execute(
            "UPDATE microcredentials_microcredential mc SET published_version_id = v.id "
            "FROM microcredentials_microcredentialversion v WHERE v.micro_credential_id = mc.id AND mc.code LIKE 'BC-%'"
        )
        lo_table = LearningOutcome._meta.db_table
        cur.execute(
            f'INSERT INTO {lo_table} ("order", key, version_id, text, skills) '
            "SELECT n, gen_random_uuid(), v.id, CASE n WHEN 1 THEN s.lo1 WHEN 2 THEN s.lo2 ELSE s.lo3 END, '[]'::jsonb "
            "FROM bench_src s JOIN microcredentials_microcredential mc ON mc.code = 'BC-' || s.i "
            "JOIN microcredentials_microcredentialversion v ON v.id = mc.published_version_id "
            "CROSS JOIN generate_series(1, 3) n"
        )
        cur.execute(
            """
            INSERT INTO catalogue_searchentry (
              micro_credential_id, version_id, organisation_id, code, title, summary, provider_slug,
              provider_name, provider_kind, country, field_of_study, eqf_level, credit_system, credits,
              credit_band, notional_hours, hours_band, form_of_participation, language, fee_amount,
              fee_currency, fee_band, assessment_certification, stackable, qa_status, published_at,
              next_review_date, search_text, search_vector, refreshed_at)
            SELECT mc.id, v.id, o.id, mc.code, s.title, s.summary, o.slug, o.name, o.kind,
              (SELECT country FROM organisations_location l WHERE l.organisation_id = o.id LIMIT 1),
              s.field, s.eqf, 'ECTS', s.credits,
              CASE WHEN s.credits < 1 THEN 'lt1' WHEN s.credits < 5 THEN '1-4' WHEN s.credits < 10 THEN '5-9'
                   WHEN s.credits < 15 THEN '10-14' ELSE '15+' END,
              s.hours,
              CASE WHEN s.hours < 25 THEN 'lt25' WHEN s.hours < 50 THEN '25-49' WHEN s.hours < 100 THEN '50-99'
                   WHEN s.hours < 200 THEN '100-199' ELSE '200+' END,
              s.form, s.lang, s.fee, 'EUR',
              CASE WHEN s.fee = 0 THEN 'free' WHEN s.fee < 100 THEN 'lt100' WHEN s.fee < 500 THEN '100-499'
                   WHEN s.fee < 1000 THEN '500-999' ELSE '1000+' END,
              s.assess, s.stackable, s.qa, v.published_at, NULL,
              '',
              setweight(to_tsvector('english', s.title), 'A')
                || setweight(to_tsvector('english', s.summary || ' ' || s.target || ' ' || s.lo1 || ' ' || s.lo2 || ' ' || s.lo3), 'B')
                || setweight(to_tsvector('english', o.name || ' ' || mc.code), 'C'),
              now()
            FROM bench_src s
            JOIN microcredentials_microcredential mc ON mc.code = 'BC-' || s.i
            JOIN microcredentials_microcredentialversion v ON v.id = mc.published_version_id
            JOIN organisations_organisation o ON o.id = mc.organisation_id
            """
        )
        cur.execute("CREATE INDEX catalogue_entry_vector ON catalogue_searchentry USING gin (search_vector)")
        cur.execute("DROP TABLE bench_src")
    raw.commit()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _p95(samples: list[float]) -> float:
    return round(statistics.quantiles(samples, n=20)[18] * 1000, 1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wrk(url: str, script: str | None) -> float:
    args = ["wrk", *PARAMS["wrk"].split(), "--latency"]  # type: ignore[union-attr]
    if script:
        args += ["-s", script]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        if line.startswith("Requests/sec:"):
            non2xx = [ln for ln in out.splitlines() if "Non-2xx" in ln]
            if non2xx:
                raise RuntimeError(f"{url}: {non2xx[0]}")
            return round(float(line.split()[1]), 1)
    raise RuntimeError(out)


RAW_COLUMNS = (
    "micro_credential_id, code, title, summary, provider_slug, provider_name, provider_kind, country, "
    "field_of_study, eqf_level, credit_system, credits, notional_hours, form_of_participation, language, "
    "fee_amount, fee_currency, assessment_certification, stackable, qa_status, published_at"
)


def _measure(database_url: str) -> dict[str, tuple[float, str, str]]:
    from django.db import connection, reset_queries
    from django.test import Client

    from credence.catalogue import selectors
    from credence.catalogue.models import SearchEntry

    load_before = os.getloadavg()[0]
    client = Client()
    rng = random.Random(7)
    combos = [(rng.choice(SECTORS), rng.choice([4, 5, 6, 7]), rng.choice(FORMS)) for _ in range(50)]
    matches = []
    page_times, raw_times = [], []
    for run in range(int(PARAMS["search_runs"])):  # type: ignore[call-overload]
        sector, eqf, form = combos[run % len(combos)]
        query = {"q": sector, "eqf": str(eqf), "form": form}
        start = time.perf_counter()
        response = client.get("/catalogue/", query)
        page_times.append(time.perf_counter() - start)
        assert response.status_code == 200
        params = selectors.parse_search(query)
        sql, args = selectors.pg_search_sql(params, with_facets=True)
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, args)
            rows = cursor.fetchall()
            ids = [row[-1] for row in rows if row[0] == 1]
            cursor.execute(
                f"SELECT {RAW_COLUMNS} FROM catalogue_searchentry WHERE micro_credential_id = ANY(%s)", [ids]
            )
            cursor.fetchall()
        raw_times.append(time.perf_counter() - start)
        if run < len(combos):
            full = (1 << len(selectors.FACETS)) - 1
            matches.append(next(int(r[-2]) for r in rows if r[0] == 0 and r[1] == full))
    reset_queries()
    ids = list(SearchEntry.objects.filter(code__startswith="BC-").values_list("provider_slug", "code")[:5000])
    detail_times = []
    for provider_slug, code in rng.sample(ids, int(PARAMS["page_runs"])):  # type: ignore[call-overload]
        start = time.perf_counter()
        response = client.get(f"/catalogue/{provider_slug}/{code}/")
        detail_times.append(time.perf_counter() - start)
        assert response.status_code == 200
    text_matches = selectors.search(selectors.parse_search({"q": "data"}), with_facets=False).total

    # Throughput: gunicorn, 4 workers, the API and the raw view in the same server.
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "bench.catalogue_settings",
        "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}",
        "CREDENCE_DEBUG": "false",
        "SECRET_KEY": "bench-" + "x" * 40,
        "CREDENCE_KEY_ENCRYPTION_KEY": "bench-" + "y" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "ERROR",
    }
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    server = subprocess.Popen(
        [
            gunicorn,
            "-w",
            str(PARAMS["gunicorn_workers"]),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "error",
            "credence.wsgi",
        ],
        env=env,
        cwd=str(ROOT),
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        time.sleep(2)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
            lua.write(
                "math.randomseed(os.time())\n"
                "request = function()\n"
                '  return wrk.format("GET", wrk.path .. "&page=" .. math.random(1, 200))\n'
                "end\n"
            )
        query = "q=data&language=en"
        subprocess.run(["curl", "-sf", "-o", "/dev/null", f"{base}/api/catalogue/?{query}"], check=True)
        subprocess.run(["curl", "-sf", "-o", "/dev/null", f"{base}/bench/raw-catalogue/?{query}"], check=True)
        raw_rps = _wrk(f"{base}/bench/raw-catalogue/?{query}", lua.name)
        api_rps = _wrk(f"{base}/api/catalogue/?{query}", lua.name)
        cached_rps = _wrk(f"{base}/api/catalogue/?{query}&page=3", None)
        os.unlink(lua.name)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    search_p95, raw_p95 = _p95(page_times), _p95(raw_times)
    load_after = os.getloadavg()[0]
    return {
        "load_average_1m_before": (
            round(load_before, 2),
            "",
            "the machine's load when measuring began (2 cores)",
        ),
        "load_average_1m_after": (round(load_after, 2), "", "and when it ended"),
        "search_page_p50_ms": (round(statistics.median(page_times) * 1000, 1), "ms", "for context"),
        "detail_page_p50_ms": (round(statistics.median(detail_times) * 1000, 1), "ms", "for context"),
        "search_page_p95_ms": (search_p95, "ms", "<= 50 ms (text + two facets, whole page)"),
        "search_raw_sql_p95_ms": (raw_p95, "ms", "baseline: the same two SQL statements, raw"),
        "search_vs_raw_ratio": (round(search_p95 / raw_p95, 2), "x", "<= 2x"),
        "search_matches_median": (float(statistics.median(matches)), "rows", "text + two facets"),
        "text_only_matches": (float(text_matches), "rows", "'data' alone, for scale"),
        "detail_page_p95_ms": (_p95(detail_times), "ms", "<= 30 ms"),
        "api_list_rps": (api_rps, "req/s", ">= 0.5 x raw view"),
        "raw_view_rps": (raw_rps, "req/s", "baseline: raw-SQL Django view, same server"),
        "api_vs_raw_ratio": (round(api_rps / raw_rps, 2), "x", ">= 0.5"),
        "api_list_cached_rps": (cached_rps, "req/s", "same URL repeated (cache answering)"),
    }


def _worker() -> None:
    """Runs in its own process, on the bench database; prints the figures as JSON on the last line."""
    import psycopg

    name = str(PARAMS["database"])
    database_url = f"{PG}/{name}"
    count = int(PARAMS["micro_credentials"])  # type: ignore[call-overload]
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        ready = False
        if exists and os.environ.get("BENCH_FRESH") != "1":
            try:
                with psycopg.connect(database_url) as bench_db:
                    row = bench_db.execute(
                        "SELECT COUNT(*) FROM catalogue_searchentry WHERE code LIKE 'BC-%%'"
                    ).fetchone()
                    ready = bool(row and row[0] == count)
            except psycopg.Error:
                ready = False
        if exists and not ready:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        if not ready:
            admin.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "credence.settings"
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    from credence.catalogue.models import SearchEntry

    have = SearchEntry.objects.filter(code__startswith="BC-").count()
    started = time.perf_counter()
    if have != count:
        _generate(count, int(PARAMS["providers"]))  # type: ignore[call-overload]
    generated = time.perf_counter() - started
    figures = _measure(database_url)
    if have != count:
        figures["generate_s"] = (round(generated, 1), "s", "100,000 entries with versions and outcomes")
    print(json.dumps(figures))


def run(params: dict[str, Any]) -> dict[str, tuple[float, str, str]]:
    if shutil.which("wrk") is None:
        raise SystemExit("The catalogue benchmark needs wrk (apt-get install -y wrk).")
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--worker"],
        capture_output=True,
        text=True,
        check=False,
        cwd=str(ROOT),
    )
    if out.returncode != 0:
        raise SystemExit(f"catalogue benchmark failed:\n{out.stdout[-3000:]}\n{out.stderr[-5000:]}")
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    return {k: (v[0], v[1], v[2]) for k, v in figures.items()}


if __name__ == "__main__" and "--worker" in sys.argv:
    _worker()
