"""Anonymous call-page throughput from the page cache vs whitenoise serving a static file.

The practical ceiling on this machine is gunicorn handing out a file through whitenoise:
no URL routing, no view, no database. The page cache should come close to it. Both are
served by the same gunicorn (same workers, same settings) and requested by the same
client (:func:`bench.load.get_load`), in alternating rounds:

1. gunicorn starts with the page cache on (``HADAF_PAGE_CACHE_SECONDS``) and Redis as
   the cache (``BENCH_REDIS_URL``, a database number of its own, emptied first), as in
   production; the page is requested until it answers ``X-Hadaf-Cache: hit``;
2. its exact bytes are written as ``bench-ceiling.html`` into a folder whitenoise serves
   (``WHITENOISE_ROOT``, set by ``site.settings.bench`` from ``BENCH_WHITENOISE_ROOT``),
   and gunicorn restarts so whitenoise indexes it (Redis keeps the cached page);
3. after an uncounted warm-up round on each path, rounds alternate page, file, file,
   page…; every response must be a 200 of the right size, and every page response a hit;
4. for scale, the same page with the page cache off (``HADAF_PAGE_CACHE_SECONDS=0``).
"""

import os
from dataclasses import dataclass, field
from pathlib import Path

import requests

from . import load

ROOT = Path(__file__).resolve().parent.parent
CACHE_HEADER = "X-Hadaf-Cache"
CEILING_NAME = "bench-ceiling.html"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"


@dataclass
class Throughput:
    page_url: str
    page_bytes: int = 0
    cache_module: bool = False
    cache_seconds: int = 0
    cache_backend: str = ""
    warm_header: str = ""
    cached: list = field(default_factory=list)  # GetResult per round
    static: list = field(default_factory=list)
    uncached: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    notes: list = field(default_factory=list)


def redis_for_bench(url):
    """Empty the bench's Redis database; returns (description, process id, None), or
    (None, None, the reason) when Redis does not answer."""
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        client.flushdb()
        info = client.info("server")
        client.close()
    except Exception as error:  # noqa: BLE001 - any failure means: no Redis here
        return None, None, f"{type(error).__name__}: {error}"
    described = f"Redis {info.get('redis_version', '?')} at `{url}` (emptied before the run)"
    pid = info.get("process_id")
    try:  # its CPU time is counted only when it runs here
        local = Path(f"/proc/{pid}/comm").read_text().startswith("redis")
    except OSError:
        local = False
    return described, pid if local else None, None


def page_cache_present():
    return (ROOT / "site" / "page_cache.py").is_file()


def warm(server, path, tries):
    """GET ``path`` until it is a hit (at most ``tries`` times); returns (header, bytes)."""
    header, body = "", b""
    for _ in range(tries):
        response = requests.get(
            server.base_url + path, timeout=30, headers={"Accept-Encoding": "identity"}
        )
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code} while warming")
        header, body = response.headers.get(CACHE_HEADER, ""), response.content
        if header == "hit":
            break
    return header, body


def warm_up(server, path, label, args, per_client=None):
    """An uncounted round with every client at once, so every worker has served ``path``."""
    measured = load.get_load(
        f"{label} (warm-up)",
        server,
        path,
        clients=args.cache_clients,
        per_client=per_client or max(5, 2 * args.workers),
    )
    if measured.failed:
        raise RuntimeError(f"{label} warm-up: {measured.failed} failed: {measured.failures}")


def run(args, page, workdir, log):
    """Measure; ``args`` gives workers, port, clients, requests and rounds."""
    result = Throughput(page_url=page.url, cache_module=page_cache_present())
    result.cache_seconds = args.page_cache_seconds
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)
    described, redis_pid, error = redis_for_bench(redis_url)
    root = Path(workdir) / "whitenoise-root"
    root.mkdir(parents=True, exist_ok=True)
    env = {
        "HADAF_PAGE_CACHE_SECONDS": str(args.page_cache_seconds),
        "BENCH_WHITENOISE_ROOT": str(root),
    }
    if described:
        env["REDIS_URL"] = redis_url
        result.cache_backend = described
    else:
        result.cache_backend = "per-process memory cache (Redis did not answer)"
        result.notes.append(f"Redis unavailable ({error}): each worker caches for itself.")
    log_path = ROOT / "bench" / ".gunicorn.log"

    def server(extra):
        return load.Gunicorn(
            port=args.port,
            workers=args.workers,
            database_url=args.database_url,
            env={**env, **extra},
        )

    path = page.url
    first = server({})
    with first.start(log_path):
        result.warm_header, body = warm(first, path, tries=10)
    result.page_bytes = len(body)
    (root / CEILING_NAME).write_bytes(body)
    log(
        f"cache: page {path} is {len(body):,} bytes, {CACHE_HEADER}:"
        f" {result.warm_header or '(none)'}; {result.cache_backend}"
    )
    if not result.cache_module:
        result.notes.append(
            "site/page_cache.py does not exist yet: the page line is the uncached page."
        )
    elif result.warm_header != "hit":
        result.problems.append(
            f"the page never answered {CACHE_HEADER}: hit (last: {result.warm_header!r})"
        )

    static_path = "/" + CEILING_NAME
    second = server({})
    with second.start(log_path):
        warm(second, path, tries=10)
        check = requests.get(second.base_url + static_path, timeout=30)
        if check.status_code != 200 or check.content != body:
            result.problems.append(
                f"whitenoise did not serve {static_path} ({check.status_code},"
                f" {len(check.content):,} bytes for {len(body):,})"
            )
            return result
        sides = [
            ("cached page", path, result.cached, CACHE_HEADER),
            ("static file", static_path, result.static, None),
        ]
        for label, url, _into, _watched in sides:  # every worker warm on both paths
            warm_up(second, url, label, args)
        for round_index in range(args.cache_rounds):
            for label, url, into, watched in sides if round_index % 2 == 0 else sides[::-1]:
                measured = load.get_load(
                    label,
                    second,
                    url,
                    clients=args.cache_clients,
                    per_client=args.cache_requests,
                    expect_bytes=len(body),
                    header=watched,
                    cache_pid=redis_pid,
                )
                into.append(measured)
                log(
                    f"  round {round_index + 1} {label}: {measured.succeeded}/"
                    f"{measured.attempted} ok = {measured.per_second:,.0f}/s,"
                    f" server CPU {measured.cpu_ms_per_request(measured.server_cpu):.2f}"
                    f" ms/request"
                )
    if args.uncached_requests:
        third = server({"HADAF_PAGE_CACHE_SECONDS": "0"})
        with third.start(log_path):
            warm_up(third, path, "page, cache off", args, per_client=2)
            for round_index in range(args.cache_rounds):
                measured = load.get_load(
                    "page, cache off",
                    third,
                    path,
                    clients=args.cache_clients,
                    per_client=args.uncached_requests,
                    header=CACHE_HEADER,
                )
                result.uncached.append(measured)
                log(
                    f"  round {round_index + 1} page, cache off: {measured.succeeded}/"
                    f"{measured.attempted} ok = {measured.per_second:,.1f}/s"
                )
    check_rounds(result)
    return result


def check_rounds(result):
    """Harness problems: failed requests, wrong sizes, page responses that were not hits."""
    for label, rounds in (
        ("cached page", result.cached),
        ("static file", result.static),
        ("page, cache off", result.uncached),
    ):
        for measured in rounds:
            if measured.failed:
                result.problems.append(
                    f"{label}: {measured.failed} failed requests: {measured.failures}"
                )
            if measured.wrong_size:
                result.problems.append(f"{label}: {measured.wrong_size} responses of another size")
    hits = sum(measured.headers.get("hit", 0) for measured in result.cached)
    total = sum(measured.attempted for measured in result.cached)
    if result.cache_module and result.warm_header == "hit" and hits != total:
        result.problems.append(f"cached page: {total - hits} of {total} responses were not hits")
    uncached_hits = sum(measured.headers.get("hit", 0) for measured in result.uncached)
    if uncached_hits:
        result.problems.append(f"page, cache off: {uncached_hits} responses were hits")
