"""Pantau's configuration: every setting declared once, with its default and help side by side.

One TOML file (``pantau.toml``) overrides the defaults; no file is needed to start. Secrets can
come from environment variables (``PANTAU_SMTP_PASSWORD``, ``PANTAU_ES_URL``, ...), which win
over the file. The commented example ``pantau.toml.example`` is generated from these
declarations (``pantau config example``), so the docs cannot drift from the code.

Each section is a frozen dataclass; each field is declared with :func:`setting`. Nothing else of
the project is imported here.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_CONFIG_NAME = "pantau.toml"
CONFIG_ENV = "PANTAU_CONFIG"


class ConfigError(ValueError):
    """A wrong setting: names the file, the key, the line and what was expected."""

    def __init__(self, problems: list[ConfigProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@dataclass(frozen=True)
class ConfigProblem:
    key: str
    message: str
    file: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}: " if self.file and self.line else (f"{self.file}: " if self.file else "")
        return f"{where}{self.key}: {self.message}"


class Secret:
    """A secret value that never shows itself in reprs, logs or tracebacks."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __repr__(self) -> str:
        return "Secret('***')" if self._value else "Secret('')"

    __str__ = __repr__


def setting(default: Any, help: str, *, env: str | None = None, choices: tuple[str, ...] | None = None) -> Any:
    """Declare one setting: its default, its help text and, for secrets, its environment variable."""
    meta = {"help": help, "env": env, "choices": choices}
    if isinstance(default, (list, dict)):
        return field(default_factory=lambda: typing.cast(Any, type(default))(default), metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class ProvinceSettings:
    """The province Pantau watches."""

    name: str = setting("Jawa Tengah", "Province name, shown in the dashboard and emails.")
    code: str = setting("33", "BPS province code; region codes start with it.")
    timezone: str = setting("Asia/Jakarta", "Time zone for display, daily buckets and digests (WIB by default).")
    language: str = setting("id", "Default language of the dashboard and emails.", choices=("id", "en"))


@dataclass(frozen=True)
class PathsSettings:
    """Where Pantau keeps its state."""

    data_dir: str = setting(
        "pantau-data",
        "Data directory (spool, embedded store, alert history, users). Relative paths are relative to the config file.",
        env="PANTAU_DATA_DIR",
    )


@dataclass(frozen=True)
class TaxonomySettings:
    """The gazetteer and the taxonomy of topics and agencies."""

    gazetteer: str = setting("", "Gazetteer file (regions, codes, aliases, districts). Empty: the bundled Central Java gazetteer.")
    topics: str = setting("", "Topic and agency taxonomy file. Empty: the bundled taxonomy.")
    watch_terms: list[str] = setting(
        ["meninggal", "tewas", "korban jiwa", "demo", "unjuk rasa", "kerusuhan"],
        "Critical terms: a matching post is always kept by the crawlers and alerts at once.",
    )


@dataclass(frozen=True)
class CrawlSettings:
    """Politeness and shared crawler behaviour."""

    contact: str = setting("admin@example.go.id", "Contact address sent in the User-Agent so site owners can reach you.")
    user_agent: str = setting("Pantau/0.1 (+https://github.com/pantau-id/pantau)", "User-Agent prefix; the contact is appended.")
    obey_robots: bool = setting(True, "Obey robots.txt for HTML sources.")
    concurrency_per_domain: int = setting(2, "Concurrent requests per domain.")
    download_delay_s: float = setting(1.0, "Base delay between requests to one domain (AutoThrottle adjusts it).")
    max_text_chars: int = setting(20000, "Posts longer than this are rejected with a counted reason.")
    keep_authors_names: bool = setting(True, "Store authors' display names; false keeps only the keyed hash.")
    source_concurrency: dict[str, int] = setting(
        {"playstore": 1, "youtube": 2, "x": 1, "bluesky": 2},
        "Concurrent requests per source (overrides concurrency_per_domain for that source's spider).",
    )
    max_retries: int = setting(3, "Retries of a failed request (timeouts, 5xx, 429) before it counts as an error.")
    backoff_s: float = setting(2.0, "First retry waits this long, doubling on each retry, when the server sends no Retry-After.")
    retry_after_cap_s: float = setting(300.0, "Longest Retry-After honoured; a longer one fails the request and is counted.")
    timeout_s: float = setting(30.0, "Download timeout per request.")
    max_pages: int = setting(20, "Pages of one feed, app, channel or query read per cycle (bounds a first backfill).")
    jobdir: str = setting("", "JOBDIR for resumable long backfills (one sub-folder per source); empty: no resume state.")


@dataclass(frozen=True)
class NewsSourceSettings:
    enabled: bool = setting(True, "Crawl news feeds and sitemaps.")
    feeds: list[str] = setting(
        [
            "https://jateng.tribunnews.com/rss",
            "https://www.detik.com/jateng/rss",
            "https://jateng.antaranews.com/rss/terkini.xml",
            "https://www.suaramerdeka.com/rss",
        ],
        "RSS/Atom feed URLs.",
    )
    sitemaps: list[str] = setting(["https://www.detik.com/jateng/sitemap_news.xml"], "News sitemap URLs.")
    listings: list[str] = setting(["https://jatengprov.go.id/beritadaerah/"], "HTML listing pages of government news.")
    keep_all: bool = setting(False, "Keep every article, not only relevant ones.")
    every_minutes: int = setting(30, "Crawl cadence in minutes (used by `pantau run`).")


@dataclass(frozen=True)
class PlaystoreSourceSettings:
    enabled: bool = setting(True, "Crawl Google Play reviews.")
    apps: list[str] = setting(
        ["app.bpjs.mobile", "gov.dukcapil.mobile_id", "id.go.imigrasi.paspor_online"],
        "App package ids whose reviews are read.",
    )
    base_url: str = setting("https://play.google.com", "Play Store web base URL (batchexecute endpoint lives under it).")
    page_size: int = setting(100, "Reviews per batchexecute page (the web client accepts up to 199).")
    keep_all: bool = setting(True, "Keep every review: a review of a government app is about its service.")
    every_minutes: int = setting(60, "Crawl cadence in minutes.")


@dataclass(frozen=True)
class YoutubeSourceSettings:
    enabled: bool = setting(False, "Crawl YouTube comments (needs an API key).")
    api_key: Secret = setting(Secret(""), "YouTube Data API v3 key.", env="PANTAU_YOUTUBE_API_KEY")
    channels: list[str] = setting([], "Channel ids: all comment threads related to each channel.")
    videos: list[str] = setting([], "Video ids whose comment threads are read.")
    search_terms: str = setting("", "Optional searchTerms filter.")
    daily_quota: int = setting(10000, "API units a day; the spider stops before exceeding it.")
    api_url: str = setting("https://www.googleapis.com/youtube/v3", "YouTube Data API base URL.")
    every_minutes: int = setting(60, "Crawl cadence in minutes.")


@dataclass(frozen=True)
class MastodonSourceSettings:
    enabled: bool = setting(True, "Crawl Mastodon hashtag timelines.")
    instances: list[str] = setting(["https://mastodon.social"], "Instance base URLs.")
    tags: list[str] = setting(["jateng", "semarang", "jawatengah"], "Hashtags (without #).")
    every_minutes: int = setting(30, "Crawl cadence in minutes.")


@dataclass(frozen=True)
class BlueskySourceSettings:
    enabled: bool = setting(False, "Crawl Bluesky search (needs an app password).")
    handle: str = setting("", "Account handle used to create a session.")
    app_password: Secret = setting(Secret(""), "Bluesky app password.", env="PANTAU_BLUESKY_APP_PASSWORD")
    queries: list[str] = setting(["jateng", "semarang"], "Search queries.")
    service: str = setting("https://bsky.social", "PDS that creates the session and serves app.bsky.feed.searchPosts.")
    lang: str = setting("id", "Language filter of the search (empty: all languages).")
    every_minutes: int = setting(30, "Crawl cadence in minutes.")


@dataclass(frozen=True)
class XSourceSettings:
    enabled: bool = setting(False, "Crawl X recent search (paid API access).")
    bearer_token: Secret = setting(Secret(""), "X API v2 bearer token.", env="PANTAU_X_BEARER_TOKEN")
    query: str = setting("(jateng OR semarang) lang:id -is:retweet", "Recent-search query.")
    api_url: str = setting("https://api.x.com", "X API base URL.")
    every_minutes: int = setting(60, "Crawl cadence in minutes.")


@dataclass(frozen=True)
class ImportSourceSettings:
    keep_all: bool = setting(True, "Keep every imported record, not only relevant ones.")
    columns: dict[str, str] = setting(
        {"native_id": "id", "text": "text", "published_at": "created_at"},
        "Column mapping: Post field -> column name in the file. Fields: native_id, text, published_at, title, url, "
        "author (hashed), author_name, likes, replies, shares, rating, lang, thread_id, parent_id.",
    )
    sheet: str = setting("", "Excel sheet to read; empty: the first sheet.")


@dataclass(frozen=True)
class SourcesSettings:
    """The sources Pantau reads; each its own table ([sources.news], ...)."""

    news: NewsSourceSettings = field(default_factory=NewsSourceSettings)
    playstore: PlaystoreSourceSettings = field(default_factory=PlaystoreSourceSettings)
    youtube: YoutubeSourceSettings = field(default_factory=YoutubeSourceSettings)
    mastodon: MastodonSourceSettings = field(default_factory=MastodonSourceSettings)
    bluesky: BlueskySourceSettings = field(default_factory=BlueskySourceSettings)
    x: XSourceSettings = field(default_factory=XSourceSettings)
    import_: ImportSourceSettings = field(default_factory=ImportSourceSettings)


@dataclass(frozen=True)
class StoreSettings:
    """Where tagged posts are indexed."""

    backend: str = setting("embedded", "embedded (tantivy + SQLite in the data directory) or elasticsearch.", choices=("embedded", "elasticsearch"))
    es_url: str = setting("", "Elasticsearch URL, e.g. https://es.example:9200.", env="PANTAU_ES_URL")
    es_api_key: Secret = setting(Secret(""), "Elasticsearch API key.", env="PANTAU_ES_API_KEY")
    es_username: str = setting("", "Elasticsearch user (when no API key).", env="PANTAU_ES_USERNAME")
    es_password: Secret = setting(Secret(""), "Elasticsearch password.", env="PANTAU_ES_PASSWORD")
    es_index_prefix: str = setting("pantau", "Prefix of index, alias and template names.")
    es_shards: int = setting(1, "Primary shards per monthly index.")
    es_replicas: int = setting(1, "Replicas per monthly index.")
    es_ilm_policy: str = setting("", "Name of an existing ILM policy to attach; empty for none.")
    retention_days: int = setting(730, "Posts older than this are deleted nightly; 0 keeps everything.")


@dataclass(frozen=True)
class ModelSettings:
    """The tagging models."""

    sentiment_model: str = setting("", "Local Hugging Face model directory for sentiment. Empty: the shipped model.")
    batch_size: int = setting(512, "Posts per tagging batch taken from the spool (larger batches pad less and commit the index less often).")
    inference_batch: int = setting(64, "Texts per forward pass of the sentiment model (a tagging batch is sorted by length, then cut into these).")
    threads: int = setting(2, "CPU threads for inference.")


@dataclass(frozen=True)
class SmtpSettings:
    """The mail server alerts are sent through."""

    host: str = setting("localhost", "SMTP host.", env="PANTAU_SMTP_HOST")
    port: int = setting(587, "SMTP port.")
    security: str = setting("starttls", "Connection security.", choices=("starttls", "ssl", "plain"))
    username: str = setting("", "SMTP user; empty for no authentication.", env="PANTAU_SMTP_USERNAME")
    password: Secret = setting(Secret(""), "SMTP password.", env="PANTAU_SMTP_PASSWORD")
    sender: str = setting("Pantau <pantau@example.go.id>", "From address of alert emails.")
    timeout_s: float = setting(30.0, "Connection timeout in seconds.")
    ca_file: str = setting("", "CA certificates (PEM) that sign the server's TLS certificate, e.g. an internal CA; empty: the system's.")


@dataclass(frozen=True)
class AlertsSettings:
    """Spike detection and alert emails."""

    rules: str = setting("", "Alert rules file or folder (TOML). Empty: default rules generated from the taxonomy.")
    check_every_minutes: int = setting(15, "How often `pantau run` evaluates the rules.")
    digest_time: str = setting("07:00", "Local time of the daily digest per agency (HH:MM).")
    language: str = setting("id", "Default language of alert emails.", choices=("id", "en"))
    dashboard_url: str = setting("http://localhost:8080", "Public URL of the dashboard, for links in emails.")
    recipients: dict[str, list[str]] = setting(
        {},
        "Recipients of the default rules (used when `rules` is empty): agency slug -> email addresses; "
        "\"*\" receives every agency's alerts, digests and the watch-term alerts.",
    )


@dataclass(frozen=True)
class DashboardSettings:
    """The web dashboard and API."""

    host: str = setting("127.0.0.1", "Address to listen on.")
    port: int = setting(8080, "Port to listen on.")
    secret_key: Secret = setting(Secret(""), "Key that signs session cookies. Empty: a random key kept in the data directory.", env="PANTAU_DASHBOARD_SECRET")
    secure_cookies: bool = setting(True, "Mark session cookies Secure (set false only for plain-HTTP testing).")
    push_tokens: dict[str, str] = setting({}, "Push-ingest channels: channel name -> token (POST /api/posts).")
    export_max_rows: int = setting(100000, "Most posts one CSV/XLSX export of a search may hold.")
    cache_seconds: int = setting(60, "Overview numbers are shared by users of one scope for this long (0: always recomputed).")


@dataclass(frozen=True)
class PrivacySettings:
    """Citizens' privacy."""

    author_key: Secret = setting(
        Secret(""),
        "Key of the author hashes. Empty: a random key created once in the data directory. Changing it breaks author continuity.",
        env="PANTAU_AUTHOR_KEY",
    )
    mask_plates: bool = setting(True, "Mask vehicle plates as well as NIK/KK, phone numbers and emails.")


@dataclass(frozen=True)
class Config:
    """All of Pantau's settings. ``source`` is the file they came from (None: defaults only)."""

    province: ProvinceSettings = field(default_factory=ProvinceSettings)
    paths: PathsSettings = field(default_factory=PathsSettings)
    taxonomy: TaxonomySettings = field(default_factory=TaxonomySettings)
    crawl: CrawlSettings = field(default_factory=CrawlSettings)
    sources: SourcesSettings = field(default_factory=SourcesSettings)
    store: StoreSettings = field(default_factory=StoreSettings)
    model: ModelSettings = field(default_factory=ModelSettings)
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    alerts: AlertsSettings = field(default_factory=AlertsSettings)
    dashboard: DashboardSettings = field(default_factory=DashboardSettings)
    privacy: PrivacySettings = field(default_factory=PrivacySettings)
    source: Path | None = field(default=None, compare=False)

    @property
    def data_dir(self) -> Path:
        path = Path(self.paths.data_dir).expanduser()
        if not path.is_absolute() and self.source is not None:
            path = self.source.parent / path
        return path

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.province.timezone)


def toml_name(field_name: str) -> str:
    """``import_`` is spelled ``import`` in the file."""
    return field_name.rstrip("_")


def _is_section(tp: Any) -> bool:
    return isinstance(tp, type) and dataclasses.is_dataclass(tp)


def _coerce(value: Any, tp: Any, key: str) -> Any:
    """Check ``value`` against the declared type; raise ValueError with what was expected."""
    origin = typing.get_origin(tp)
    if tp is Secret:
        if not isinstance(value, str):
            raise ValueError(f"expected a string, got {_describe(value)}")
        return Secret(value)
    if tp is bool:
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false, got {_describe(value)}")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected a whole number, got {_describe(value)}")
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"expected a number, got {_describe(value)}")
        return float(value)
    if tp is str:
        if not isinstance(value, str):
            raise ValueError(f"expected a string, got {_describe(value)}")
        return value
    if origin is list:
        (item_tp,) = typing.get_args(tp)
        if not isinstance(value, list):
            raise ValueError(f"expected a list, got {_describe(value)}")
        return [_coerce(v, item_tp, key) for v in value]
    if origin is dict:
        _, value_tp = typing.get_args(tp)
        if not isinstance(value, dict):
            raise ValueError(f"expected a table, got {_describe(value)}")
        return {str(k): _coerce(v, value_tp, key) for k, v in value.items()}
    raise TypeError(f"unsupported setting type {tp!r} for {key}")  # a declaration bug, not user error


def _describe(value: Any) -> str:
    return f"{type(value).__name__} {value!r}"


def _build(cls: type, data: dict[str, Any], prefix: str, problems: list[ConfigProblem], env: dict[str, str]) -> Any:
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    remaining = dict(data)
    for f in dataclasses.fields(cls):
        if f.name == "source":
            continue
        name = toml_name(f.name)
        key = f"{prefix}{name}"
        tp = hints[f.name]
        raw = remaining.pop(name, dataclasses.MISSING)
        if _is_section(tp):
            if raw is not dataclasses.MISSING and not isinstance(raw, dict):
                problems.append(ConfigProblem(key, f"expected a table [{key}], got {_describe(raw)}"))
                raw = {}
            values[f.name] = _build(tp, raw if isinstance(raw, dict) else {}, f"{key}.", problems, env)
            continue
        env_name = f.metadata.get("env")
        if env_name and env.get(env_name):
            raw = env[env_name]
            if tp is int:
                raw = int(raw) if raw.strip().lstrip("-").isdigit() else raw
        if raw is dataclasses.MISSING:
            continue
        try:
            value = _coerce(raw, tp, key)
        except ValueError as exc:
            problems.append(ConfigProblem(key, str(exc)))
            continue
        choices = f.metadata.get("choices")
        if choices and value not in choices:
            problems.append(ConfigProblem(key, f"expected one of {', '.join(choices)}, got {value!r}"))
            continue
        values[f.name] = value
    for unknown in remaining:
        known = ", ".join(toml_name(f.name) for f in dataclasses.fields(cls) if f.name != "source")
        problems.append(ConfigProblem(f"{prefix}{unknown}", f"unknown setting; known here: {known}"))
    return cls(**values)


def _semantic_checks(cfg: Config) -> list[ConfigProblem]:
    problems: list[ConfigProblem] = []
    try:
        ZoneInfo(cfg.province.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(ConfigProblem("province.timezone", f"unknown time zone {cfg.province.timezone!r}; expected e.g. Asia/Jakarta"))
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", cfg.alerts.digest_time):
        problems.append(ConfigProblem("alerts.digest_time", f"expected HH:MM, got {cfg.alerts.digest_time!r}"))
    if cfg.store.backend == "elasticsearch" and not cfg.store.es_url:
        problems.append(ConfigProblem("store.es_url", "required when store.backend is elasticsearch (or set PANTAU_ES_URL)"))
    if not 1 <= cfg.dashboard.port <= 65535:
        problems.append(ConfigProblem("dashboard.port", f"expected a port 1-65535, got {cfg.dashboard.port}"))
    for name in ("concurrency_per_domain", "max_text_chars"):
        if getattr(cfg.crawl, name) < 1:
            problems.append(ConfigProblem(f"crawl.{name}", "expected a positive number"))
    return problems


def key_lines(text: str) -> dict[str, int]:
    """Map dotted keys (``smtp.port``) to their 1-based line in a TOML text.

    tomllib keeps no positions, so the lines are found by reading table headers and
    ``key =`` lines; enough to point a user at the line to fix.
    """
    lines: dict[str, int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        header = re.fullmatch(r"\[\[?\s*([^\]]+?)\s*\]\]?(\s*#.*)?", stripped)
        if header:
            table = ".".join(part.strip().strip('"') for part in header.group(1).split("."))
            lines.setdefault(table, number)
            continue
        assignment = re.match(r'^("[^"]+"|[A-Za-z0-9_.-]+)\s*=', stripped)
        if assignment:
            key = ".".join(p.strip().strip('"') for p in assignment.group(1).split("."))
            lines.setdefault(f"{table}.{key}" if table else key, number)
    return lines


def _locate(problem: ConfigProblem, path: Path | None, lines: dict[str, int]) -> ConfigProblem:
    if path is None:
        return problem
    key = problem.key
    while key and key not in lines:
        key = key.rpartition(".")[0]
    return dataclasses.replace(problem, file=str(path), line=lines.get(key))


def find_config_file(explicit: str | os.PathLike[str] | None = None, env: dict[str, str] | None = None) -> Path | None:
    """The config file to read: the explicit one, then $PANTAU_CONFIG, then ./pantau.toml if present."""
    env = os.environ if env is None else env
    if explicit:
        return Path(explicit)
    if env.get(CONFIG_ENV):
        return Path(env[CONFIG_ENV])
    local = Path(DEFAULT_CONFIG_NAME)
    return local if local.is_file() else None


def load_config(path: str | os.PathLike[str] | None = None, env: dict[str, str] | None = None) -> Config:
    """Read and validate the config; raise :class:`ConfigError` listing every problem."""
    env = dict(os.environ if env is None else env)
    file = find_config_file(path, env)
    data: dict[str, Any] = {}
    lines: dict[str, int] = {}
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ConfigError([ConfigProblem("(file)", "config file not found", file=str(file))]) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError([ConfigProblem("(file)", f"cannot read: {exc}", file=str(file))]) from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            found = re.search(r"at line (\d+)", str(exc))  # Python 3.11's error has no lineno attribute
            line = int(found.group(1)) if found else None
            raise ConfigError([ConfigProblem("(syntax)", f"not valid TOML: {exc}", file=str(file), line=line)]) from None
        lines = key_lines(text)
    problems: list[ConfigProblem] = []
    cfg: Config = _build(Config, data, "", problems, env)
    if not problems:
        problems = _semantic_checks(cfg)
    if problems:
        located = [_locate(p, file, lines) for p in problems]
        raise ConfigError(sorted(located, key=lambda p: (p.line or 0, p.key)))
    return dataclasses.replace(cfg, source=file.resolve() if file else None)


def iter_settings(cls: type = Config, prefix: str = "") -> typing.Iterator[tuple[str, dataclasses.Field[Any], Any]]:
    """Every leaf setting as (dotted key, field, declared type), in declaration order."""
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        if f.name == "source":
            continue
        tp = hints[f.name]
        key = f"{prefix}{toml_name(f.name)}"
        if _is_section(tp):
            yield from iter_settings(tp, f"{key}.")
        else:
            yield key, f, tp


def _default_of(f: dataclasses.Field[Any]) -> Any:
    if f.default is not dataclasses.MISSING:
        return f.default
    return f.default_factory()  # type: ignore[misc]


def _toml_value(value: Any) -> str:
    if isinstance(value, Secret):
        value = value.reveal()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + " }" if value else "{}"
    raise TypeError(f"cannot write {value!r} as TOML")


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml_value(key)


def example_toml() -> str:
    """The commented example config: every setting, its help text and its default."""
    out = [
        "# Pantau configuration. Every setting is shown with its default, commented out:",
        "# uncomment and change only what you need. Generated by `pantau config example`.",
    ]
    current = None
    for key, f, tp in iter_settings():
        table, _, name = key.rpartition(".")
        if table != current:
            current = table
            out.append("")
            out.append(f"[{table}]")
        out.append(f"# {f.metadata['help']}")
        if f.metadata.get("choices"):
            out.append(f"# One of: {', '.join(f.metadata['choices'])}.")
        if f.metadata.get("env"):
            out.append(f"# Environment variable {f.metadata['env']} overrides it.")
        out.append(f"# {name} = {_toml_value(_default_of(f))}")
    return "\n".join(out) + "\n"


def redacted(cfg: Config) -> dict[str, Any]:
    """The effective settings as a flat dict with secrets masked, for `pantau config show`."""
    result: dict[str, Any] = {}
    for key, _f, _tp in iter_settings():
        value: Any = cfg
        for part in key.split("."):
            value = getattr(value, part if hasattr(value, part) else f"{part}_")
        result[key] = ("***" if value else "") if isinstance(value, Secret) else value
    return result

