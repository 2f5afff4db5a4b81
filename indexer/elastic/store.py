"""The Elasticsearch backend: the same Store over a cluster (see docs/elasticsearch.md).

Writes go to monthly indices through bulk requests in batches (``helpers.streaming_bulk``,
which retries documents rejected with 429 with exponential backoff); reads go through the
alias. A post's ``_id`` is its post id, so re-indexing replaces; when a post's month changed
(its ``published_at`` was corrected) the copy in the other month is deleted in the same bulk.
``put_many`` refreshes before returning (``refresh=wait_for``), so what it returns is searchable.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

from elasticsearch import Elasticsearch, NotFoundError, helpers
from elasticsearch.dsl import Q, Search

from pantau.errors import PantauError
from pantau.post import Post
from indexer import records as rec
from indexer.elastic import mapping
from indexer.elastic.aggs import parse_result, request
from indexer.elastic.compile import compile_query
from indexer.elastic.errors import unavailable
from indexer.query import DateRange, Query, text_terms
from indexer.significant import significant_terms
from indexer.store import (
    AggResult, Aggregation, Count, CountResult, Hit, SearchResult, SignificantTerms, Snippet, Sort, StoreStats,
)

BULK_CHUNK = 500
PRE, POST = "\ue000", "\ue001"  # private-use marks around highlights: cannot clash with text


class ElasticStore:
    def __init__(self, client: Elasticsearch, prefix: str = "pantau", shards: int = 1, replicas: int = 1,
                 ilm_policy: str = "", tz: str = "Asia/Jakarta", analyzer: str = "indonesian",
                 owns_client: bool = False) -> None:
        self.client = client
        self._owns_client = owns_client
        self.prefix = prefix
        self.alias = mapping.alias(prefix)
        self.tz = tz
        with unavailable(self._where()):
            client.indices.put_index_template(
                name=self.alias, **mapping.template(prefix, shards, replicas, ilm_policy, analyzer))

    @classmethod
    def from_settings(cls, settings, tz: str = "Asia/Jakarta") -> ElasticStore:
        """Build from ``[store]`` settings (es_url, es_api_key or es_username/es_password, ...)."""
        if not settings.es_url:
            raise PantauError("store.backend is elasticsearch but store.es_url is empty; set it or PANTAU_ES_URL")
        auth: dict[str, Any] = {}
        if settings.es_api_key:
            auth["api_key"] = settings.es_api_key.reveal()
        elif settings.es_username:
            auth["basic_auth"] = (settings.es_username, settings.es_password.reveal())
        client = Elasticsearch(settings.es_url, request_timeout=30, retry_on_timeout=True, max_retries=3, **auth)
        return cls(client, settings.es_index_prefix, settings.es_shards, settings.es_replicas, settings.es_ilm_policy, tz,
                   owns_client=True)

    def _where(self) -> str:
        nodes = getattr(self.client.transport, "node_pool", None)
        urls = [n.base_url for n in nodes.all()] if nodes is not None else []
        return ", ".join(urls) or "the cluster"

    def __enter__(self) -> ElasticStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._owns_client:
            self.client.close()

    def _search(self) -> Search:
        return Search(using=self.client, index=self.alias).extra(track_total_hits=True)

    # -- writing ----------------------------------------------------------------------------
    def put_many(self, posts: Iterable[Post]) -> int:
        unique = list({p.id: p for p in posts}.values())
        for start in range(0, len(unique), BULK_CHUNK * 4):
            self._put_batch(unique[start:start + BULK_CHUNK * 4])
        return len(unique)

    def _put_batch(self, posts: Sequence[Post]) -> None:
        targets = {p.id: mapping.index_for(self.prefix, p.published_at) for p in posts}
        actions: list[dict[str, Any]] = []
        with unavailable(self._where()):
            for post_id, index in self._where_stored(list(targets)).items():
                if index != targets[post_id]:
                    actions.append({"_op_type": "delete", "_index": index, "_id": post_id})
            actions += [{"_op_type": "index", "_index": targets[p.id], "_id": p.id, "_source": rec.to_record(p)} for p in posts]
            failed = [
                info for ok, info in helpers.streaming_bulk(
                    self.client, actions, chunk_size=BULK_CHUNK, max_retries=5, initial_backoff=1, max_backoff=30,
                    raise_on_error=False, raise_on_exception=True)
                if not ok and not _is_missing_delete(info)
            ]
            if failed:
                raise PantauError(f"Elasticsearch rejected {len(failed)} of {len(posts)} posts; first: {failed[0]}")
            self.client.indices.refresh(index=self.alias)

    def _where_stored(self, ids: list[str]) -> dict[str, str]:
        """The index currently holding each of ``ids`` (those already stored)."""
        try:
            found = self._search().filter("ids", values=ids).source(False).extra(size=len(ids)).execute()
        except NotFoundError:  # no index behind the alias yet
            return {}
        return {hit.meta.id: hit.meta.index for hit in found}

    def delete_older_than(self, days: int) -> int:
        cutoff = datetime.now(timezone.utc) - timedelta(days=days)
        with unavailable(self._where()):
            try:
                result = self.client.delete_by_query(
                    index=self.alias, query=compile_query(DateRange(end=cutoff)).to_dict(), refresh=True, conflicts="proceed")
            except NotFoundError:
                return 0
        return int(result.get("deleted", 0))

    # -- reading ----------------------------------------------------------------------------
    def get(self, post_id: str) -> Post | None:
        with unavailable(self._where()):
            try:
                found = self._search().filter("ids", values=[post_id]).extra(size=1).execute()
            except NotFoundError:
                return None
        return rec.from_record(found.hits[0].to_dict()) if found.hits else None

    def scan(self, query: Query, batch: int = 1000) -> Iterator[Post]:
        """Pages by ``search_after`` on (published_at, id), so no 10,000-hit window applies."""
        s = self._search().query(compile_query(query)).sort({"published_at": "desc"}, {"id": "asc"}).extra(size=batch)
        after: list[Any] | None = None
        while True:
            page = s.extra(search_after=after) if after else s
            with unavailable(self._where()):
                try:
                    found = page.execute()
                except NotFoundError:
                    return
            for hit in found:
                yield rec.from_record(hit.to_dict())
            if len(found.hits) < batch:
                return
            after = list(found.hits[-1].meta.sort)

    def count(self, query: Query) -> int:
        return self._counts([query])[0]

    def search(self, query: Query, sort: Sort = Sort.RELEVANCE, page: int = 1, size: int = 20) -> SearchResult:
        if page < 1 or size < 1:
            raise ValueError("page and size start at 1")
        sort = Sort(sort)
        compiled = compile_query(query)
        words = text_terms(query)
        if words and sort is Sort.RELEVANCE:  # rank stemmed matches higher; matching stays word for word
            compiled = Q("bool", must=[compiled], should=[Q("multi_match", query=" ".join(words), fields=["text", "title"])])
        order = {Sort.RELEVANCE: ["_score", {"published_at": "desc"}], Sort.NEWEST: [{"published_at": "desc"}],
                 Sort.OLDEST: [{"published_at": "asc"}]}[sort]
        s = self._search().query(compiled).sort(*order).extra(from_=(page - 1) * size, size=size).highlight(
            "text.std", pre_tags=[PRE], post_tags=[POST], number_of_fragments=1, fragment_size=240)
        with unavailable(self._where()):
            try:
                found = s.execute()
            except NotFoundError:
                return SearchResult(0, [], page, size)
        hits = []
        for hit in found:
            post = rec.from_record(hit.to_dict())
            marked = list(getattr(getattr(hit.meta, "highlight", None), "text.std", None) or [])
            score = hit.meta.score if sort is Sort.RELEVANCE else None
            hits.append(Hit(post, _snippet(marked[0]) if marked else Snippet.lead(post.text), score))
        return SearchResult(found.hits.total.value, hits, page, size)

    def aggregate(self, query: Query, aggregations: Mapping[str, Aggregation]) -> dict[str, AggResult]:
        native = {n: a for n, a in aggregations.items() if not isinstance(a, (Count, SignificantTerms))}
        s = self._search().query(compile_query(query)).extra(size=0)
        for name, agg in native.items():
            s.aggs.bucket(name, request(agg, self.tz))
        raw: dict[str, Any] = {}
        total = 0
        with unavailable(self._where()):
            try:
                response = s.execute()
                raw, total = response.aggregations.to_dict() if native else {}, response.hits.total.value
            except NotFoundError:
                pass
        out: dict[str, AggResult] = {}
        for name, agg in aggregations.items():
            if isinstance(agg, Count):
                out[name] = CountResult(total)
            elif isinstance(agg, SignificantTerms):
                out[name] = significant_terms(query, agg, self._sample_texts, self._counts)
            else:
                out[name] = parse_result(agg, raw.get(name), self.tz)
        return out

    def _sample_texts(self, query: Query, n: int) -> list[str]:
        s = self._search().query(compile_query(query)).sort({"published_at": "desc"}).source(["text", "title"]).extra(size=n)
        with unavailable(self._where()):
            try:
                found = s.execute()
            except NotFoundError:
                return []
        return [f"{h.text}\n{h.title}" if getattr(h, "title", None) else h.text for h in found]

    def _counts(self, queries: Sequence[Query]) -> list[int]:
        """Exact counts of many queries, 100 to a multi-search request."""
        out: list[int] = []
        for start in range(0, len(queries), 100):
            searches: list[dict[str, Any]] = []
            for q in queries[start:start + 100]:
                searches += [{"index": self.alias, "ignore_unavailable": True},
                             {"size": 0, "track_total_hits": True, "query": compile_query(q).to_dict()}]
            with unavailable(self._where()):
                responses = self.client.msearch(searches=searches)["responses"]
            for r in responses:
                if "error" in r and r.get("status") != 404:
                    raise PantauError(f"Elasticsearch count failed: {r['error']}")
                out.append(r["hits"]["total"]["value"] if "hits" in r else 0)
        return out

    def stats(self) -> StoreStats:
        s = self._search().extra(size=0)
        s.aggs.metric("oldest", "min", field="published_at")
        s.aggs.metric("newest", "max", field="published_at")
        with unavailable(self._where()):
            try:
                response = s.execute()
                sizes = self.client.indices.stats(index=self.alias, metric="store")
            except NotFoundError:
                return StoreStats("elasticsearch", 0, 0, None, None, 1, f"{self._where()} {self.alias}")
        as_time = lambda v: None if v is None else datetime.fromtimestamp(v / 1000, timezone.utc)  # noqa: E731
        size = sizes.get("_all", {}).get("primaries", {}).get("store", {}).get("size_in_bytes", 0)
        return StoreStats("elasticsearch", response.hits.total.value, size, as_time(response.aggregations.oldest.value),
                          as_time(response.aggregations.newest.value), 1, f"{self._where()} {self.alias}")


def _is_missing_delete(info: dict[str, Any]) -> bool:
    return "delete" in info and info["delete"].get("status") == 404


def _snippet(marked: str) -> Snippet:
    text, spans, at = [], [], 0
    parts = marked.split(PRE)
    text.append(parts[0])
    at = len(parts[0])
    for part in parts[1:]:
        inner, _, rest = part.partition(POST)
        spans.append((at, at + len(inner)))
        text += [inner, rest]
        at += len(inner) + len(rest)
    return Snippet("".join(text), tuple(spans))

