"""Invariants of the knowledge base: names, canonical forms, exemptions, async twins."""

import re

import pytest

from fastapi_lint.knowledge import BLOCKING, SYNC_DB, Sink
from fastapi_lint.knowledge.blocking import BLOCKING_SINKS
from fastapi_lint.knowledge.databases import SYNC_DB_SINKS
from fastapi_lint.knowledge.services import KUBERNETES_API_CLASSES, kubernetes_api_module
from fastapi_lint.knowledge.types import (
    ATTRIBUTE_TYPES,
    CANONICAL_NAMES,
    CLASS_BASES,
    OFFLOADS,
    RETURN_TYPES,
    SESSION_FACTORIES,
)

IDENTIFIER = r"[A-Za-z_][A-Za-z0-9_]*"
DOTTED = re.compile(rf"{IDENTIFIER}(\.{IDENTIFIER})+")
SINK_KEY = re.compile(rf"{IDENTIFIER}(\.{IDENTIFIER})+(\.\*)?")

SINK_TABLES = {"BLOCKING_SINKS": BLOCKING_SINKS, "SYNC_DB_SINKS": SYNC_DB_SINKS}
ALL_SINK_KEYS = [*BLOCKING_SINKS, *SYNC_DB_SINKS]


def prefixes(name: str) -> list[str]:
    """``a.b.c`` -> ``a.b``, ``a.b.c`` (every dotted prefix with at least one dot)."""
    parts = name.removesuffix(".*").split(".")
    return [".".join(parts[:end]) for end in range(2, len(parts) + 1)]


def non_canonical(name: str) -> list[str]:
    """The prefixes of ``name`` that CANONICAL_NAMES rewrites (so ``name`` is not canonical)."""
    return [prefix for prefix in prefixes(name) if prefix in CANONICAL_NAMES]


def type_table_names() -> list[tuple[str, str]]:
    """Every (table, name) of the type tables that must be canonical."""
    names = [("RETURN_TYPES key", key) for key in RETURN_TYPES]
    names += [("RETURN_TYPES value", value) for value in RETURN_TYPES.values()]
    names += [("ATTRIBUTE_TYPES key", key) for key in ATTRIBUTE_TYPES]
    names += [("ATTRIBUTE_TYPES value", value) for value in ATTRIBUTE_TYPES.values()]
    names += [("CLASS_BASES key", key) for key in CLASS_BASES]
    names += [("CLASS_BASES base", base) for bases in CLASS_BASES.values() for base in bases]
    names += [("SESSION_FACTORIES key", key) for key in SESSION_FACTORIES]
    names += [("SESSION_FACTORIES value", value) for value in SESSION_FACTORIES.values()]
    return names


# -- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize("table", SINK_TABLES)
def test_sink_keys_are_dotted_names(table: str) -> None:
    bad = [key for key in SINK_TABLES[table] if not SINK_KEY.fullmatch(key)]
    assert bad == []


def test_type_tables_hold_dotted_names_without_wildcards() -> None:
    bad = [
        (where, name)
        for where, name in type_table_names()
        if where != "ATTRIBUTE_TYPES key" and not DOTTED.fullmatch(name)
    ]
    bad += [
        ("ATTRIBUTE_TYPES key", key)
        for key in ATTRIBUTE_TYPES
        if not re.fullmatch(rf"{IDENTIFIER}(\.{IDENTIFIER})+\.(\*|{IDENTIFIER})", key)
    ]
    assert bad == []


def test_canonical_names_are_exact_dotted_names() -> None:
    bad = [
        (key, value)
        for key, value in CANONICAL_NAMES.items()
        if not DOTTED.fullmatch(key) or not DOTTED.fullmatch(value)
    ]
    assert bad == []


def test_offloads_are_dotted_names() -> None:
    assert [name for name in OFFLOADS if not DOTTED.fullmatch(name)] == []


# -- canonical forms -------------------------------------------------------------------------


def test_canonical_names_map_to_a_final_name() -> None:
    """One lookup is enough: no value is itself rewritten, no name maps to itself."""
    chained = {key: value for key, value in CANONICAL_NAMES.items() if value in CANONICAL_NAMES}
    identity = [key for key, value in CANONICAL_NAMES.items() if key == value]
    assert chained == {}
    assert identity == []


@pytest.mark.parametrize("table", SINK_TABLES)
def test_sink_keys_are_canonical(table: str) -> None:
    bad = {key: non_canonical(key) for key in SINK_TABLES[table] if non_canonical(key)}
    assert bad == {}


def test_return_types_values_are_canonical() -> None:
    bad = {value: non_canonical(value) for value in RETURN_TYPES.values() if non_canonical(value)}
    assert bad == {}


def test_type_tables_are_canonical() -> None:
    bad = [(where, name) for where, name in type_table_names() if non_canonical(name)]
    assert bad == []


def test_offloads_list_canonical_names_or_their_aliases() -> None:
    """An offload spelled through a re-export must also be present under its canonical name."""
    missing = [
        CANONICAL_NAMES[name]
        for name in OFFLOADS
        if name in CANONICAL_NAMES and CANONICAL_NAMES[name] not in OFFLOADS
    ]
    assert missing == []


# -- sink tables -----------------------------------------------------------------------------


def test_no_key_in_both_sink_tables() -> None:
    assert sorted(BLOCKING_SINKS.keys() & SYNC_DB_SINKS.keys()) == []


@pytest.mark.parametrize(
    ("table", "kind"), [("BLOCKING_SINKS", BLOCKING), ("SYNC_DB_SINKS", SYNC_DB)]
)
def test_sinks_have_the_kind_of_their_table(table: str, kind: str) -> None:
    sinks = SINK_TABLES[table]
    bad = [key for key, sink in sinks.items() if sink is not None and sink.kind != kind]
    assert bad == []
    assert all(sink is None or isinstance(sink, Sink) for sink in sinks.values())


@pytest.mark.parametrize("table", SINK_TABLES)
def test_every_exemption_has_a_wildcard_entry(table: str) -> None:
    sinks = SINK_TABLES[table]
    orphans = [
        key
        for key, sink in sinks.items()
        if sink is None and sinks.get(key.rsplit(".", 1)[0] + ".*") is None
    ]
    assert orphans == []


@pytest.mark.parametrize("table", SINK_TABLES)
def test_wildcard_entries_are_sinks(table: str) -> None:
    sinks = SINK_TABLES[table]
    assert [key for key, sink in sinks.items() if key.endswith(".*") and sink is None] == []


def test_sink_texts_read_as_clauses() -> None:
    """``reason`` completes "`name` ..."; ``instead`` is a noun phrase; neither ends a sentence."""
    sinks = {sink for sink in [*BLOCKING_SINKS.values(), *SYNC_DB_SINKS.values()] if sink}
    bad = [
        sink
        for sink in sinks
        if not sink.reason
        or not sink.instead
        or not sink.reason[0].islower()
        or sink.reason.endswith(".")
        or sink.instead.endswith(".")
        or "  " in sink.reason + sink.instead
    ]
    assert bad == []


ASYNC_APIS = (
    "aiobotocore.",
    "aioboto3.",
    "aiohttp.",
    "aiokafka.",
    "aiomysql.",
    "aiosqlite.",
    "asyncpg.",
    "azure.cosmos.aio.",
    "azure.identity.aio.",
    "azure.keyvault.secrets.aio.",
    "azure.storage.blob.aio.",
    "databases.",
    "elasticsearch.AsyncElasticsearch",
    "firebase_admin.firestore_async.",
    "google.cloud.firestore.Async",
    "google.cloud.secretmanager.SecretManagerServiceAsyncClient",
    "httpx.AsyncClient",
    "kubernetes_asyncio.",
    "motor.",
    "neo4j.AsyncDriver",
    "neo4j.AsyncGraphDatabase",
    "opensearchpy.AsyncOpenSearch",
    "psycopg.AsyncConnection",
    "psycopg.AsyncCursor",
    "psycopg_pool.AsyncConnectionPool",
    "pymongo.AsyncMongoClient",
    "redis.asyncio.",
    "slack_bolt.async_app.",
    "slack_sdk.web.async_client.",
    "sqlalchemy.ext.asyncio.",
)


def test_async_apis_are_never_sinks() -> None:
    bad = [key for key in ALL_SINK_KEYS if key.startswith(ASYNC_APIS)]
    assert bad == []


def test_async_variants_of_sync_methods_are_never_sinks() -> None:
    """Stripe's ``create_async`` and friends: listed only as exemptions of a wildcard."""
    sinks = {**BLOCKING_SINKS, **SYNC_DB_SINKS}
    bad = [key for key, sink in sinks.items() if key.endswith("_async") and sink is not None]
    assert bad == []
    assert sinks["stripe.Customer.create"] is not None
    assert "stripe.Customer.create_async" not in sinks
    assert sinks["stripe._stripe_service.StripeService.create_async"] is None


LAZY_CONSTRUCTORS = (
    "azure.identity.DefaultAzureCredential",
    "azure.keyvault.secrets.SecretClient",
    "azure.storage.blob.BlobServiceClient",
    "azure.storage.blob.BlobServiceClient.from_connection_string",
    "boto3.client",
    "boto3.resource",
    "boto3.session.Session",
    "boto3.session.Session.client",
    "elasticsearch.Elasticsearch",
    "google.cloud.bigquery.Client",
    "google.cloud.storage.Client",
    "httpx.Client",
    "jwt.PyJWKClient",
    "kubernetes.client.ApiClient",
    "kubernetes.client.CoreV1Api",
    "ldap3.Connection",
    "minio.Minio",
    "opensearchpy.OpenSearch",
    "paramiko.SSHClient",
    "pymongo.MongoClient",
    "redis.Redis",
    "redis.from_url",
    "requests.Session",
    "sqlalchemy.create_engine",
    "sqlalchemy.orm.Session.add",
    "sqlalchemy.orm.Session.add_all",
    "sqlalchemy.orm.Session.query",
    "sqlalchemy.orm.sessionmaker",
    "slack_sdk.WebClient",
    "stripe.StripeClient",
    "stripe.Webhook.construct_event",
)

# Constructors that do talk to a server: listed, with a reason that says so.
CONNECTING_CONSTRUCTORS = (
    "azure.cosmos.CosmosClient",
    "docker.DockerClient",
    "docker.from_env",
    "kafka.KafkaConsumer",
    "kafka.KafkaProducer",
    "kubernetes.dynamic.DynamicClient",
    "pika.BlockingConnection",
    "slack_bolt.App",
)


@pytest.mark.parametrize("name", CONNECTING_CONSTRUCTORS)
def test_connecting_constructors_say_why(name: str) -> None:
    sink = BLOCKING_SINKS.get(name)
    assert sink is not None
    assert (
        "when constructed" in sink.reason or "as soon as the client is constructed" in sink.reason
    )


@pytest.mark.parametrize("name", LAZY_CONSTRUCTORS)
def test_calls_without_io_are_not_sinks(name: str) -> None:
    """Absent, or listed as the exemption of a wildcard (``None``)."""
    assert BLOCKING_SINKS.get(name) is None
    assert SYNC_DB_SINKS.get(name) is None


# -- coverage of the rules we must be a superset of ----------------------------------------

REQUIRED_BLOCKING = (
    # ruff / flake8-async ASYNC210, ASYNC212
    "httpx.Client.get",
    "httpx.Client.stream",
    "httpx.get",
    "requests.Session.request",
    "requests.get",
    "requests.post",
    "urllib.request.urlopen",
    "urllib3.PoolManager.request",
    "urllib3.request",
    # ASYNC220-222
    "os.popen",
    "os.posix_spawn",
    "os.spawnl",
    "os.system",
    "os.waitpid",
    "subprocess.Popen",
    "subprocess.check_output",
    "subprocess.run",
    # ASYNC230-232, 240
    "builtins.open",
    "io.TextIOWrapper.read",
    "io.open_code",
    "os.fdopen",
    "os.path.exists",
    "os.path.getsize",
    "os.path.isfile",
    "pathlib.Path.exists",
    "pathlib.Path.open",
    "pathlib.Path.read_text",
    # ASYNC250, 251
    "builtins.input",
    "time.sleep",
    # blockbuster
    "os.listdir",
    "os.read",
    "os.rename",
    "os.scandir",
    "socket.socket.connect",
    "socket.socket.recv",
    "ssl.SSLSocket.read",
    "threading.Lock.acquire",
    # password hashing
    "bcrypt.hashpw",
    "hashlib.pbkdf2_hmac",
    "passlib.context.CryptContext.hash",
    "passlib.context.CryptContext.verify",
    "passlib.hash.bcrypt.hash",
)

REQUIRED_SYNC_DB = (
    "psycopg.connect",
    "psycopg2.connect",
    "psycopg2.extensions.cursor.execute",
    "pymongo.collection.Collection.*",
    "redis.Redis.*",
    "sqlalchemy.engine.Connection.execute",
    "sqlalchemy.engine.Engine.connect",
    "sqlalchemy.orm.Query.all",
    "sqlalchemy.orm.Session.commit",
    "sqlalchemy.orm.Session.execute",
    "sqlite3.Connection.execute",
    "sqlite3.Cursor.fetchall",
    "sqlite3.connect",
    "sqlmodel.Session.exec",
)


@pytest.mark.parametrize("name", REQUIRED_BLOCKING)
def test_required_blocking_calls_are_covered(name: str) -> None:
    assert BLOCKING_SINKS.get(name) is not None


@pytest.mark.parametrize("name", REQUIRED_SYNC_DB)
def test_required_sync_db_calls_are_covered(name: str) -> None:
    assert SYNC_DB_SINKS.get(name) is not None


def test_kubernetes_api_classes_are_wildcards_under_every_spelling() -> None:
    assert kubernetes_api_module("CoreV1Api") == "kubernetes.client.api.core_v1_api"
    assert kubernetes_api_module("RbacAuthorizationV1beta1Api") == (
        "kubernetes.client.api.rbac_authorization_v1beta1_api"
    )
    for name in KUBERNETES_API_CLASSES:
        assert BLOCKING_SINKS[f"kubernetes.client.{name}.*"] is not None
        assert CANONICAL_NAMES[f"kubernetes.client.api.{name}"] == f"kubernetes.client.{name}"


def test_harmless_methods_of_wildcard_classes_are_exempt() -> None:
    assert SYNC_DB_SINKS["redis.Redis.pipeline"] is None
    assert SYNC_DB_SINKS["redis.client.Pipeline.execute"] is not None
    assert BLOCKING_SINKS["botocore.client.BaseClient.get_paginator"] is None
    assert BLOCKING_SINKS["botocore.client.BaseClient.generate_presigned_url"] is None
    assert BLOCKING_SINKS["boto3.resources.base.ServiceResource.Bucket"] is None
    assert BLOCKING_SINKS["azure.storage.blob.BlobServiceClient.get_blob_client"] is None
    assert BLOCKING_SINKS["minio.Minio.presigned_get_object"] is None
    assert BLOCKING_SINKS["slack_sdk.WebClient.validate_slack_signature"] is None


# -- type facts ------------------------------------------------------------------------------


def test_session_objects_lead_to_sinks() -> None:
    """The values the engine follows end at classes that have sink methods."""
    owners = {key.rsplit(".", 1)[0] for key, sink in SYNC_DB_SINKS.items() if sink is not None}
    for class_name in (
        RETURN_TYPES["sqlite3.connect"],
        RETURN_TYPES["sqlite3.Connection.cursor"],
        RETURN_TYPES["psycopg2.connect"],
        RETURN_TYPES["sqlalchemy.orm.Session.query"],
        ATTRIBUTE_TYPES["pymongo.database.Database.*"],
        *SESSION_FACTORIES.values(),
    ):
        found = {class_name, *CLASS_BASES.get(class_name, ())} & owners
        if class_name.startswith("sqlalchemy.ext.asyncio."):
            assert not found, class_name
        else:
            assert found, class_name


def test_class_bases_have_no_cycles() -> None:
    def reaches(start: str, target: str, seen: frozenset[str] = frozenset()) -> bool:
        return any(
            base == target or (base not in seen and reaches(base, target, seen | {base}))
            for base in CLASS_BASES.get(start, ())
        )

    assert [name for name in CLASS_BASES if reaches(name, name)] == []


def test_functools_partial_is_not_an_offload() -> None:
    assert "functools.partial" not in OFFLOADS
    assert {"asyncio.to_thread", "starlette.concurrency.run_in_threadpool"} <= OFFLOADS


def test_session_factories_produce_classes() -> None:
    assert all(value.rsplit(".", 1)[1][:1].isupper() for value in SESSION_FACTORIES.values())
