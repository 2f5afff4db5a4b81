"""Client errors as Pantau errors: an unreachable or refusing cluster is ``StoreUnavailable``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from elasticsearch import ApiError
from elastic_transport import TransportError

from pantau.errors import PantauError, StoreUnavailable


@contextmanager
def unavailable(where: str) -> Iterator[None]:
    try:
        yield
    except ApiError as exc:
        status = exc.meta.status if exc.meta is not None else 0
        if status in (401, 403):
            raise StoreUnavailable(f"Elasticsearch at {where} refused the credentials ({status}): check "
                                   "store.es_api_key or store.es_username/es_password") from exc
        if status == 429 or status >= 500:
            raise StoreUnavailable(f"Elasticsearch at {where} is overloaded or failing ({status}: {exc.message}); "
                                   "posts stay in the spool until it recovers") from exc
        raise PantauError(f"Elasticsearch at {where} rejected a request ({status}): {exc.message} {exc.body}") from exc
    except TransportError as exc:
        raise StoreUnavailable(f"cannot reach Elasticsearch at {where}: {exc.message}; check store.es_url "
                               "and that the cluster is up (posts stay in the spool meanwhile)") from exc
