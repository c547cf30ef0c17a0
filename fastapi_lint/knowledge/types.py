"""Type facts the engine uses to follow values from a call or attribute to a sink method.

Every name is canonical: ``CANONICAL_NAMES`` maps re-export and implementation paths to the one
name the tables use, and nothing else in this module is a key of it (except ``OFFLOADS``, which
lists both spellings of an offload so a lookup before canonicalisation still finds it).
"""

from fastapi_lint.knowledge.blocking import PASSLIB_SLOW_HANDLERS
from fastapi_lint.knowledge.services import (
    SERVICE_ATTRIBUTE_TYPES,
    SERVICE_CANONICAL_NAMES,
    SERVICE_CLASS_BASES,
    SERVICE_RETURN_TYPES,
)


def _on(cls: str, *methods: str) -> tuple[str, ...]:
    """``cls.method`` for each method: one family of names, written once."""
    return tuple(f"{cls}.{method}" for method in methods)


# Callable -> class of the instance it returns, where that instance has sink methods or leads to
# one, or is a response a route returns (FAL201). Calling a capitalised class already yields an
# instance of it; lowercase classes map to themselves. Response objects of HTTP calls are left
# out: the request is already the finding.
RETURN_TYPES: dict[str, str] = {
    # Lowercase classes, which the engine would not otherwise take for classes.
    "select.devpoll": "select.devpoll",
    "select.epoll": "select.epoll",
    "select.kqueue": "select.kqueue",
    "select.poll": "select.poll",
    "socket.socket": "socket.socket",
    # asyncio and concurrent.futures.
    **dict.fromkeys(
        ("asyncio.get_event_loop", "asyncio.get_running_loop", "asyncio.new_event_loop"),
        "asyncio.AbstractEventLoop",
    ),
    "asyncio.run_coroutine_threadsafe": "concurrent.futures.Future",
    "concurrent.futures.Executor.submit": "concurrent.futures.Future",
    # Helpers that build a whole HTML response (a route returning one needs no response model).
    **dict.fromkeys(
        (
            "fastapi.openapi.docs.get_redoc_html",
            "fastapi.openapi.docs.get_swagger_ui_html",
            "fastapi.openapi.docs.get_swagger_ui_oauth2_redirect_html",
            "starlette.templating.Jinja2Templates.TemplateResponse",
        ),
        "starlette.responses.HTMLResponse",
    ),
    # slack_bolt's FastAPI and Starlette adapters answer Slack's request with a response.
    **dict.fromkeys(
        (
            "slack_bolt.adapter.fastapi.SlackRequestHandler.handle",
            "slack_bolt.adapter.fastapi.async_handler.AsyncSlackRequestHandler.handle",
            "slack_bolt.adapter.starlette.SlackRequestHandler.handle",
            "slack_bolt.adapter.starlette.async_handler.AsyncSlackRequestHandler.handle",
        ),
        "starlette.responses.Response",
    ),
    # OAuth clients whose login step answers with the redirect to the provider.
    **dict.fromkeys(
        (
            "authlib.integrations.starlette_client.StarletteOAuth1App.authorize_redirect",
            "authlib.integrations.starlette_client.StarletteOAuth2App.authorize_redirect",
        ),
        "starlette.responses.RedirectResponse",
    ),
    # multiprocessing factories (methods of the default context).
    "multiprocessing.Barrier": "multiprocessing.synchronize.Barrier",
    "multiprocessing.BoundedSemaphore": "multiprocessing.synchronize.BoundedSemaphore",
    "multiprocessing.Condition": "multiprocessing.synchronize.Condition",
    "multiprocessing.Event": "multiprocessing.synchronize.Event",
    "multiprocessing.JoinableQueue": "multiprocessing.queues.JoinableQueue",
    "multiprocessing.Lock": "multiprocessing.synchronize.Lock",
    "multiprocessing.Pool": "multiprocessing.pool.Pool",
    "multiprocessing.Queue": "multiprocessing.queues.Queue",
    "multiprocessing.RLock": "multiprocessing.synchronize.RLock",
    "multiprocessing.Semaphore": "multiprocessing.synchronize.Semaphore",
    "multiprocessing.SimpleQueue": "multiprocessing.queues.SimpleQueue",
    "multiprocessing.dummy.Pool": "multiprocessing.pool.ThreadPool",
    **dict.fromkeys(
        _on("multiprocessing.pool.Pool", "apply_async", "map_async", "starmap_async"),
        "multiprocessing.pool.AsyncResult",
    ),
    # Files and paths: a file opened elsewhere (a module-level log file) is read or written here.
    "builtins.open": "io.TextIOWrapper",
    "io.open_code": "io.BufferedReader",
    "os.fdopen": "io.TextIOWrapper",
    "pathlib.Path.open": "io.TextIOWrapper",
    "tempfile.TemporaryFile": "io.BufferedRandom",
    **dict.fromkeys(
        _on(
            "pathlib.Path",
            "absolute",
            "cwd",
            "expanduser",
            "home",
            "joinpath",
            "readlink",
            "relative_to",
            "resolve",
            "with_name",
            "with_segments",
            "with_stem",
            "with_suffix",
        ),
        "pathlib.Path",
    ),
    # Sockets and TLS.
    "socket.create_connection": "socket.socket",
    "socket.create_server": "socket.socket",
    "socket.socket.dup": "socket.socket",
    "socket.fromfd": "socket.socket",
    "ssl.SSLContext.wrap_socket": "ssl.SSLSocket",
    "ssl.create_default_context": "ssl.SSLContext",
    # HTTP clients.
    "requests.session": "requests.Session",
    "urllib.request.build_opener": "urllib.request.OpenerDirector",
    "urllib3.PoolManager.connection_from_host": "urllib3.HTTPConnectionPool",
    "urllib3.PoolManager.connection_from_url": "urllib3.HTTPConnectionPool",
    "urllib3.connection_from_url": "urllib3.HTTPConnectionPool",
    "urllib3.proxy_from_url": "urllib3.ProxyManager",
    # Password hashing: configured copies keep their class.
    "passlib.context.CryptContext.copy": "passlib.context.CryptContext",
    "pwdlib.PasswordHash.recommended": "pwdlib.PasswordHash",
    **{
        f"passlib.hash.{handler}.using": f"passlib.hash.{handler}"
        for handler in PASSLIB_SLOW_HANDLERS
    },
    # Clients of networked services (services.py).
    **SERVICE_RETURN_TYPES,
    # sqlite3: Connection.execute() and Cursor.execute() return the cursor.
    **dict.fromkeys(
        (
            *_on("sqlite3.Connection", "cursor", "execute", "executemany", "executescript"),
            *_on("sqlite3.Cursor", "execute", "executemany", "executescript"),
        ),
        "sqlite3.Cursor",
    ),
    "sqlite3.connect": "sqlite3.Connection",
    # PostgreSQL.
    "psycopg2.connect": "psycopg2.extensions.connection",
    "psycopg2.extensions.connection.cursor": "psycopg2.extensions.cursor",
    **dict.fromkeys(
        (
            "psycopg2.pool.SimpleConnectionPool.getconn",
            "psycopg2.pool.ThreadedConnectionPool.getconn",
        ),
        "psycopg2.extensions.connection",
    ),
    **dict.fromkeys(
        (
            "psycopg.Connection.connect",
            "psycopg.connect",
            "psycopg_pool.ConnectionPool.getconn",
        ),
        "psycopg.Connection",
    ),
    **dict.fromkeys(
        ("psycopg.Connection.cursor", "psycopg.Connection.execute", "psycopg.Cursor.execute"),
        "psycopg.Cursor",
    ),
    # MySQL.
    "MySQLdb.connect": "MySQLdb.connections.Connection",
    "MySQLdb.connections.Connection.cursor": "MySQLdb.cursors.Cursor",
    "mysql.connector.MySQLConnection.cursor": "mysql.connector.cursor.MySQLCursor",
    "mysql.connector.connect": "mysql.connector.MySQLConnection",
    "mysql.connector.pooling.MySQLConnectionPool.get_connection": (
        "mysql.connector.pooling.PooledMySQLConnection"
    ),
    "pymysql.connect": "pymysql.connections.Connection",
    "pymysql.connections.Connection.cursor": "pymysql.cursors.Cursor",
    # SQL Server.
    "pymssql.Connection.cursor": "pymssql.Cursor",
    "pymssql.connect": "pymssql.Connection",
    **dict.fromkeys(
        ("pyodbc.Connection.cursor", "pyodbc.Connection.execute", "pyodbc.Cursor.execute"),
        "pyodbc.Cursor",
    ),
    "pyodbc.connect": "pyodbc.Connection",
    # Oracle.
    "cx_Oracle.Connection.cursor": "cx_Oracle.Cursor",
    "cx_Oracle.SessionPool.acquire": "cx_Oracle.Connection",
    "cx_Oracle.connect": "cx_Oracle.Connection",
    "oracledb.Connection.cursor": "oracledb.Cursor",
    "oracledb.ConnectionPool.acquire": "oracledb.Connection",
    "oracledb.connect": "oracledb.Connection",
    "oracledb.create_pool": "oracledb.ConnectionPool",
    # SQLAlchemy and SQLModel.
    **dict.fromkeys(
        (
            "sqlalchemy.create_engine",
            "sqlalchemy.engine.Engine.execution_options",
            "sqlalchemy.engine_from_config",
        ),
        "sqlalchemy.engine.Engine",
    ),
    **dict.fromkeys(
        (
            # Engine.begin() returns a context manager whose target is a Connection.
            "sqlalchemy.engine.Connection.execution_options",
            "sqlalchemy.engine.Engine.begin",
            "sqlalchemy.engine.Engine.connect",
            "sqlalchemy.orm.Session.connection",
        ),
        "sqlalchemy.engine.Connection",
    ),
    **dict.fromkeys(
        (
            "sqlalchemy.orm.Session.query",
            # Generative Query methods return a new Query.
            *_on(
                "sqlalchemy.orm.Query",
                "add_columns",
                "add_entity",
                "autoflush",
                "correlate",
                "distinct",
                "enable_assertions",
                "enable_eagerloads",
                "except_",
                "except_all",
                "execution_options",
                "filter",
                "filter_by",
                "from_statement",
                "group_by",
                "having",
                "intersect",
                "intersect_all",
                "join",
                "limit",
                "offset",
                "only_return_tuples",
                "options",
                "order_by",
                "outerjoin",
                "params",
                "populate_existing",
                "prefix_with",
                "reset_joinpoint",
                "select_from",
                "set_label_style",
                "slice",
                "suffix_with",
                "tuples",
                "union",
                "union_all",
                "where",
                "with_entities",
                "with_for_update",
                "with_hint",
                "with_parent",
                "with_session",
                "with_statement_hint",
                "with_transformation",
                "yield_per",
            ),
        ),
        "sqlalchemy.orm.Query",
    ),
    # peewee: Model class methods build queries; generative query methods keep the class.
    **dict.fromkeys(
        (
            *_on("peewee.Model", "filter", "select"),
            *_on(
                "peewee.ModelSelect",
                "dicts",
                "distinct",
                "filter",
                "for_update",
                "group_by",
                "having",
                "join",
                "join_from",
                "left_outer_join",
                "limit",
                "namedtuples",
                "objects",
                "offset",
                "order_by",
                "orwhere",
                "paginate",
                "select",
                "switch",
                "tuples",
                "where",
            ),
        ),
        "peewee.ModelSelect",
    ),
    **dict.fromkeys(
        (
            *_on("peewee.Model", "insert", "insert_from", "insert_many", "replace", "replace_many"),
            *_on(
                "peewee.ModelInsert",
                "on_conflict",
                "on_conflict_ignore",
                "on_conflict_replace",
                "returning",
            ),
        ),
        "peewee.ModelInsert",
    ),
    **dict.fromkeys(("peewee.Model.delete", "peewee.ModelDelete.where"), "peewee.ModelDelete"),
    "peewee.Model.raw": "peewee.ModelRaw",
    **dict.fromkeys(("peewee.Model.update", "peewee.ModelUpdate.where"), "peewee.ModelUpdate"),
    # MongoDB.
    **dict.fromkeys(
        ("pymongo.MongoClient.get_database", "pymongo.MongoClient.get_default_database"),
        "pymongo.database.Database",
    ),
    "pymongo.database.Database.with_options": "pymongo.database.Database",
    **dict.fromkeys(
        (
            "pymongo.collection.Collection.with_options",
            "pymongo.database.Database.create_collection",
            "pymongo.database.Database.get_collection",
        ),
        "pymongo.collection.Collection",
    ),
    # Redis: from_url() and friends build a client without connecting.
    **dict.fromkeys(
        (
            "redis.Redis.client",
            "redis.Redis.from_pool",
            "redis.Redis.from_url",
            "redis.from_url",
            "redis.sentinel.Sentinel.master_for",
            "redis.sentinel.Sentinel.replica_for",
            "redis.sentinel.Sentinel.slave_for",
        ),
        "redis.Redis",
    ),
    "redis.Redis.json": "redis.commands.json.JSON",
    "redis.Redis.ft": "redis.commands.search.Search",
    "redis.Redis.lock": "redis.lock.Lock",
    "redis.Redis.pipeline": "redis.client.Pipeline",
    "redis.Redis.pubsub": "redis.client.PubSub",
    "redis.Redis.register_script": "redis.commands.core.Script",
    "redis.Redis.ts": "redis.commands.timeseries.TimeSeries",
    "redis.cluster.RedisCluster.from_url": "redis.cluster.RedisCluster",
    "redis.cluster.RedisCluster.lock": "redis.lock.Lock",
    "redis.cluster.RedisCluster.pipeline": "redis.cluster.ClusterPipeline",
    "redis.cluster.RedisCluster.pubsub": "redis.client.PubSub",
    "redis.cluster.RedisCluster.register_script": "redis.commands.core.Script",
    # Search engines.
    "elasticsearch.Elasticsearch.options": "elasticsearch.Elasticsearch",
    # Cassandra.
    "cassandra.cluster.Cluster.connect": "cassandra.cluster.Session",
    "cassandra.cluster.Session.execute_async": "cassandra.cluster.ResponseFuture",
    # Neo4j.
    **dict.fromkeys(
        _on("neo4j.GraphDatabase", "bolt_driver", "driver", "neo4j_driver"),
        "neo4j.Driver",
    ),
    "neo4j.Driver.session": "neo4j.Session",
    **dict.fromkeys(
        ("neo4j.ManagedTransaction.run", "neo4j.Session.run", "neo4j.Transaction.run"),
        "neo4j.Result",
    ),
    "neo4j.Session.begin_transaction": "neo4j.Transaction",
    # InfluxDB.
    "influxdb_client.InfluxDBClient.delete_api": "influxdb_client.DeleteApi",
    "influxdb_client.InfluxDBClient.query_api": "influxdb_client.QueryApi",
    "influxdb_client.InfluxDBClient.write_api": "influxdb_client.WriteApi",
}

# "Class.*" -> class of any attribute or subscript of an instance; "Class.attr" for one attribute.
ATTRIBUTE_TYPES: dict[str, str] = {
    # UploadFile.file is the underlying SpooledTemporaryFile (sync methods, may be on disk).
    "fastapi.UploadFile.file": "tempfile.SpooledTemporaryFile",
    "starlette.datastructures.UploadFile.file": "tempfile.SpooledTemporaryFile",
    "pathlib.Path.parent": "pathlib.Path",
    # pymongo: client.db / client["db"], db.coll / db["coll"], coll.sub for sub-collections.
    "pymongo.MongoClient.*": "pymongo.database.Database",
    "pymongo.collection.Collection.*": "pymongo.collection.Collection",
    "pymongo.collection.Collection.database": "pymongo.database.Database",
    "pymongo.database.Database.*": "pymongo.collection.Collection",
    "pymongo.database.Database.client": "pymongo.MongoClient",
    # Namespaced API groups: es.indices, es.cluster, es.cat, ...
    "elasticsearch.Elasticsearch.*": "elasticsearch._sync.client._base.NamespacedClient",
    "opensearchpy.OpenSearch.*": "opensearchpy.client.utils.NamespacedClient",
    # Model metadata used for create_all()/drop_all().
    "sqlalchemy.orm.DeclarativeBase.metadata": "sqlalchemy.MetaData",
    "sqlmodel.SQLModel.metadata": "sqlalchemy.MetaData",
    # Scoped sessions kept on a module-level object: db.session.query(...).
    "fastapi_sqlalchemy.db.session": "sqlalchemy.orm.Session",
    "fastapi_sqlalchemy.middleware.db.session": "sqlalchemy.orm.Session",
    "flask_sqlalchemy.SQLAlchemy.session": "sqlalchemy.orm.Session",
    # What an app keeps on app.state and a request on request.state, read back through the
    # request's app (project assignments to a State's attributes are what reads give).
    "starlette.requests.HTTPConnection.app": "fastapi.FastAPI",
    "starlette.requests.HTTPConnection.state": "starlette.datastructures.State",
    "starlette.applications.Starlette.state": "starlette.datastructures.State",
    # authlib: `oauth.register(name="github", ...)`, then `oauth.github` is that client.
    "authlib.integrations.starlette_client.OAuth.*": (
        "authlib.integrations.starlette_client.StarletteOAuth2App"
    ),
    # Clients of networked services (services.py).
    **SERVICE_ATTRIBUTE_TYPES,
}

# Re-export, alias and implementation paths -> the one name used in the tables.
CANONICAL_NAMES: dict[str, str] = {
    # builtins and io.
    "_io.open": "builtins.open",
    "io.open": "builtins.open",
    "_io.BufferedRandom": "io.BufferedRandom",
    "_io.BufferedReader": "io.BufferedReader",
    "_io.BufferedWriter": "io.BufferedWriter",
    "_io.FileIO": "io.FileIO",
    "_io.TextIOWrapper": "io.TextIOWrapper",
    # os.path is posixpath or ntpath; genericpath holds the shared checks.
    **{
        f"{module}.{name}": f"os.path.{name}"
        for module in ("ntpath", "posixpath")
        for name in (
            "abspath",
            "exists",
            "expanduser",
            "getatime",
            "getctime",
            "getmtime",
            "getsize",
            "isdir",
            "isfile",
            "isjunction",
            "islink",
            "ismount",
            "lexists",
            "realpath",
            "relpath",
            "samefile",
            "sameopenfile",
        )
    },
    **{
        f"genericpath.{name}": f"os.path.{name}"
        for name in (
            "exists",
            "getatime",
            "getctime",
            "getmtime",
            "getsize",
            "isdir",
            "isfile",
            "islink",
            "lexists",
            "samefile",
            "sameopenfile",
        )
    },
    # pathlib: the concrete flavours (and 3.13's private module) share one table entry.
    "pathlib.PosixPath": "pathlib.Path",
    "pathlib.WindowsPath": "pathlib.Path",
    "pathlib._local.Path": "pathlib.Path",
    "pathlib._local.PosixPath": "pathlib.Path",
    "pathlib._local.WindowsPath": "pathlib.Path",
    # socket and threading primitives implemented in C.
    "_socket.getaddrinfo": "socket.getaddrinfo",
    "_socket.gethostbyaddr": "socket.gethostbyaddr",
    "_socket.gethostbyname": "socket.gethostbyname",
    "_socket.gethostbyname_ex": "socket.gethostbyname_ex",
    "_socket.getnameinfo": "socket.getnameinfo",
    "_socket.socket": "socket.socket",
    "socket.SocketType": "socket.socket",
    "_thread.LockType": "threading.Lock",
    "_thread.RLock": "threading.RLock",
    "_thread.allocate_lock": "threading.Lock",
    "_thread.lock": "threading.Lock",
    "multiprocessing.context.Process": "multiprocessing.Process",
    # asyncio and concurrent.futures.
    "asyncio.base_events.BaseEventLoop": "asyncio.BaseEventLoop",
    "asyncio.events.AbstractEventLoop": "asyncio.AbstractEventLoop",
    "asyncio.events.get_event_loop": "asyncio.get_event_loop",
    "asyncio.events.get_running_loop": "asyncio.get_running_loop",
    "asyncio.events.new_event_loop": "asyncio.new_event_loop",
    "asyncio.tasks.run_coroutine_threadsafe": "asyncio.run_coroutine_threadsafe",
    "asyncio.threads.to_thread": "asyncio.to_thread",
    "concurrent.futures._base.Executor": "concurrent.futures.Executor",
    "concurrent.futures._base.Future": "concurrent.futures.Future",
    "concurrent.futures._base.as_completed": "concurrent.futures.as_completed",
    "concurrent.futures._base.wait": "concurrent.futures.wait",
    "concurrent.futures.process.ProcessPoolExecutor": "concurrent.futures.ProcessPoolExecutor",
    "concurrent.futures.thread.ThreadPoolExecutor": "concurrent.futures.ThreadPoolExecutor",
    # FastAPI and Starlette: fastapi re-exports starlette's offloads.
    "asyncer._main.asyncify": "asyncer.asyncify",
    "fastapi.background.BackgroundTasks": "fastapi.BackgroundTasks",
    "fastapi.concurrency.iterate_in_threadpool": "starlette.concurrency.iterate_in_threadpool",
    "fastapi.concurrency.run_in_threadpool": "starlette.concurrency.run_in_threadpool",
    "fastapi.datastructures.UploadFile": "fastapi.UploadFile",
    "fastapi.templating.Jinja2Templates": "starlette.templating.Jinja2Templates",
    # requests, httpx, urllib3.
    **{
        f"requests.api.{name}": f"requests.{name}"
        for name in ("delete", "get", "head", "options", "patch", "post", "put", "request")
    },
    "requests.sessions.Session": "requests.Session",
    "requests.sessions.session": "requests.session",
    **{
        f"httpx._api.{name}": f"httpx.{name}"
        for name in (
            "delete",
            "get",
            "head",
            "options",
            "patch",
            "post",
            "put",
            "request",
            "stream",
        )
    },
    "httpx._client.Client": "httpx.Client",
    "urllib3.connectionpool.HTTPConnectionPool": "urllib3.HTTPConnectionPool",
    "urllib3.connectionpool.HTTPSConnectionPool": "urllib3.HTTPSConnectionPool",
    "urllib3.connectionpool.connection_from_url": "urllib3.connection_from_url",
    "urllib3.poolmanager.PoolManager": "urllib3.PoolManager",
    "urllib3.poolmanager.ProxyManager": "urllib3.ProxyManager",
    "urllib3.poolmanager.proxy_from_url": "urllib3.proxy_from_url",
    # Password hashing.
    "argon2._legacy.hash_password": "argon2.hash_password",
    "argon2._legacy.hash_password_raw": "argon2.hash_password_raw",
    "argon2._legacy.verify_password": "argon2.verify_password",
    "argon2._password_hasher.PasswordHasher": "argon2.PasswordHasher",
    "passlib.handlers.argon2.argon2": "passlib.hash.argon2",
    "passlib.handlers.bcrypt.bcrypt": "passlib.hash.bcrypt",
    "passlib.handlers.bcrypt.bcrypt_sha256": "passlib.hash.bcrypt_sha256",
    "passlib.handlers.pbkdf2.pbkdf2_sha1": "passlib.hash.pbkdf2_sha1",
    "passlib.handlers.pbkdf2.pbkdf2_sha256": "passlib.hash.pbkdf2_sha256",
    "passlib.handlers.pbkdf2.pbkdf2_sha512": "passlib.hash.pbkdf2_sha512",
    "passlib.handlers.scrypt.scrypt": "passlib.hash.scrypt",
    "passlib.handlers.sha2_crypt.sha256_crypt": "passlib.hash.sha256_crypt",
    "passlib.handlers.sha2_crypt.sha512_crypt": "passlib.hash.sha512_crypt",
    "pwdlib._hash.PasswordHash": "pwdlib.PasswordHash",
    # Clients of networked services (services.py).
    **SERVICE_CANONICAL_NAMES,
    # sqlite3, PostgreSQL, MySQL, SQL Server, Oracle drivers.
    "_sqlite3.connect": "sqlite3.connect",
    "psycopg.connection.Connection": "psycopg.Connection",
    "psycopg.cursor.Cursor": "psycopg.Cursor",
    "psycopg2._psycopg.connection": "psycopg2.extensions.connection",
    "psycopg2._psycopg.cursor": "psycopg2.extensions.cursor",
    "psycopg_pool.pool.ConnectionPool": "psycopg_pool.ConnectionPool",
    "psycopg_pool.null_pool.NullConnectionPool": "psycopg_pool.NullConnectionPool",
    "MySQLdb.Connect": "MySQLdb.connect",
    "MySQLdb.Connection": "MySQLdb.connect",
    "mysql.connector.Connect": "mysql.connector.connect",
    "mysql.connector.connection.MySQLConnection": "mysql.connector.MySQLConnection",
    "mysql.connector.pooling.connect": "mysql.connector.connect",
    "pymysql.Connect": "pymysql.connect",
    "pymysql.Connection": "pymysql.connections.Connection",
    "pymssql._pymssql.Connection": "pymssql.Connection",
    "pymssql._pymssql.Cursor": "pymssql.Cursor",
    "pymssql._pymssql.connect": "pymssql.connect",
    "cx_Oracle.Connect": "cx_Oracle.connect",
    "oracledb.connection.Connection": "oracledb.Connection",
    "oracledb.connection.connect": "oracledb.connect",
    "oracledb.cursor.Cursor": "oracledb.Cursor",
    "oracledb.pool.ConnectionPool": "oracledb.ConnectionPool",
    "oracledb.pool.create_pool": "oracledb.create_pool",
    # SQLAlchemy and SQLModel.
    "sqlalchemy.Connection": "sqlalchemy.engine.Connection",
    "sqlalchemy.Engine": "sqlalchemy.engine.Engine",
    "sqlalchemy.engine.base.Connection": "sqlalchemy.engine.Connection",
    "sqlalchemy.engine.base.Engine": "sqlalchemy.engine.Engine",
    "sqlalchemy.engine.create.create_engine": "sqlalchemy.create_engine",
    "sqlalchemy.engine.create.engine_from_config": "sqlalchemy.engine_from_config",
    "sqlalchemy.engine.create_engine": "sqlalchemy.create_engine",
    "sqlalchemy.engine.engine_from_config": "sqlalchemy.engine_from_config",
    "sqlalchemy.ext.asyncio.scoping.async_scoped_session": (
        "sqlalchemy.ext.asyncio.async_scoped_session"
    ),
    "sqlalchemy.ext.asyncio.session.AsyncSession": "sqlalchemy.ext.asyncio.AsyncSession",
    "sqlalchemy.ext.asyncio.session.async_sessionmaker": (
        "sqlalchemy.ext.asyncio.async_sessionmaker"
    ),
    "sqlalchemy.future.Connection": "sqlalchemy.engine.Connection",
    "sqlalchemy.future.Engine": "sqlalchemy.engine.Engine",
    "sqlalchemy.future.create_engine": "sqlalchemy.create_engine",
    "sqlalchemy.orm.decl_api.DeclarativeBase": "sqlalchemy.orm.DeclarativeBase",
    "sqlalchemy.orm.query.Query": "sqlalchemy.orm.Query",
    "sqlalchemy.orm.scoping.scoped_session": "sqlalchemy.orm.scoped_session",
    "sqlalchemy.orm.session.Session": "sqlalchemy.orm.Session",
    "sqlalchemy.orm.session.sessionmaker": "sqlalchemy.orm.sessionmaker",
    "sqlalchemy.schema.MetaData": "sqlalchemy.MetaData",
    "sqlalchemy.sql.schema.MetaData": "sqlalchemy.MetaData",
    "sqlmodel.MetaData": "sqlalchemy.MetaData",
    "sqlmodel.create_engine": "sqlalchemy.create_engine",
    "sqlmodel.main.SQLModel": "sqlmodel.SQLModel",
    "sqlmodel.orm.session.Session": "sqlmodel.Session",
    # MongoDB (pymongo 4.9+ moved the sync classes to pymongo.synchronous).
    "pymongo.mongo_client.MongoClient": "pymongo.MongoClient",
    "pymongo.synchronous.collection.Collection": "pymongo.collection.Collection",
    "pymongo.synchronous.database.Database": "pymongo.database.Database",
    "pymongo.synchronous.mongo_client.MongoClient": "pymongo.MongoClient",
    # Redis.
    "redis.RedisCluster": "redis.cluster.RedisCluster",
    "redis.Sentinel": "redis.sentinel.Sentinel",
    "redis.StrictRedis": "redis.Redis",
    "redis.client.Redis": "redis.Redis",
    "redis.client.StrictRedis": "redis.Redis",
    "redis.utils.from_url": "redis.from_url",
    # Elasticsearch and OpenSearch.
    "elasticsearch._sync.client.Elasticsearch": "elasticsearch.Elasticsearch",
    "elasticsearch.client.Elasticsearch": "elasticsearch.Elasticsearch",
    "opensearchpy.client.OpenSearch": "opensearchpy.OpenSearch",
    # Neo4j, InfluxDB, memcached.
    "neo4j._sync.driver.BoltDriver": "neo4j.BoltDriver",
    "neo4j._sync.driver.Driver": "neo4j.Driver",
    "neo4j._sync.driver.GraphDatabase": "neo4j.GraphDatabase",
    "neo4j._sync.driver.Neo4jDriver": "neo4j.Neo4jDriver",
    "neo4j._sync.work.result.Result": "neo4j.Result",
    "neo4j._sync.work.session.Session": "neo4j.Session",
    "neo4j._sync.work.transaction.ManagedTransaction": "neo4j.ManagedTransaction",
    "neo4j._sync.work.transaction.Transaction": "neo4j.Transaction",
    "influxdb_client.client.delete_api.DeleteApi": "influxdb_client.DeleteApi",
    "influxdb_client.client.influxdb_client.InfluxDBClient": "influxdb_client.InfluxDBClient",
    "influxdb_client.client.query_api.QueryApi": "influxdb_client.QueryApi",
    "influxdb_client.client.write_api.WriteApi": "influxdb_client.WriteApi",
    "pymemcache.client.Client": "pymemcache.Client",
    "pymemcache.client.base.Client": "pymemcache.Client",
    "pymemcache.client.base.PooledClient": "pymemcache.PooledClient",
    "pymemcache.client.hash.HashClient": "pymemcache.HashClient",
}

# External classes whose methods are also looked up on these bases, in order.
CLASS_BASES: dict[str, tuple[str, ...]] = {
    # stdlib.
    "asyncio.BaseEventLoop": ("asyncio.AbstractEventLoop",),
    "concurrent.futures.ProcessPoolExecutor": ("concurrent.futures.Executor",),
    "concurrent.futures.ThreadPoolExecutor": ("concurrent.futures.Executor",),
    "ftplib.FTP_TLS": ("ftplib.FTP",),
    "http.client.HTTPSConnection": ("http.client.HTTPConnection",),
    "imaplib.IMAP4_SSL": ("imaplib.IMAP4",),
    "imaplib.IMAP4_stream": ("imaplib.IMAP4",),
    "multiprocessing.pool.ThreadPool": ("multiprocessing.pool.Pool",),
    "multiprocessing.queues.JoinableQueue": ("multiprocessing.queues.Queue",),
    "multiprocessing.synchronize.BoundedSemaphore": ("multiprocessing.synchronize.Semaphore",),
    "poplib.POP3_SSL": ("poplib.POP3",),
    "queue.LifoQueue": ("queue.Queue",),
    "queue.PriorityQueue": ("queue.Queue",),
    **dict.fromkeys(
        (
            "selectors.DefaultSelector",
            "selectors.DevpollSelector",
            "selectors.EpollSelector",
            "selectors.KqueueSelector",
            "selectors.PollSelector",
            "selectors.SelectSelector",
        ),
        ("selectors.BaseSelector",),
    ),
    "smtplib.LMTP": ("smtplib.SMTP",),
    "smtplib.SMTP_SSL": ("smtplib.SMTP",),
    "ssl.SSLSocket": ("socket.socket",),
    "threading.BoundedSemaphore": ("threading.Semaphore",),
    "threading.Timer": ("threading.Thread",),
    # HTTP clients.
    "urllib3.HTTPSConnectionPool": ("urllib3.HTTPConnectionPool",),
    "urllib3.ProxyManager": ("urllib3.PoolManager",),
    # FastAPI subclasses Starlette's classes.
    "fastapi.FastAPI": ("starlette.applications.Starlette",),
    # Cadwyn, API versioning built on FastAPI: its app and router are FastAPI's.
    "cadwyn.Cadwyn": ("fastapi.FastAPI",),
    "cadwyn.VersionedAPIRouter": ("fastapi.APIRouter",),
    "fastapi.Request": ("starlette.requests.Request",),
    "fastapi.WebSocket": ("starlette.websockets.WebSocket",),
    "starlette.requests.Request": ("starlette.requests.HTTPConnection",),
    "starlette.websockets.WebSocket": ("starlette.requests.HTTPConnection",),
    "fastapi.BackgroundTasks": ("starlette.background.BackgroundTasks",),
    "fastapi.UploadFile": ("starlette.datastructures.UploadFile",),
    # Database drivers.
    **dict.fromkeys(
        (
            "mysql.connector.connection_cext.CMySQLConnection",
            "mysql.connector.pooling.PooledMySQLConnection",
        ),
        ("mysql.connector.MySQLConnection",),
    ),
    **dict.fromkeys(
        (
            "mysql.connector.cursor.MySQLCursorBuffered",
            "mysql.connector.cursor.MySQLCursorBufferedDict",
            "mysql.connector.cursor.MySQLCursorDict",
            "mysql.connector.cursor.MySQLCursorPrepared",
            "mysql.connector.cursor.MySQLCursorRaw",
            "mysql.connector.cursor_cext.CMySQLCursor",
        ),
        ("mysql.connector.cursor.MySQLCursor",),
    ),
    **dict.fromkeys(
        ("MySQLdb.cursors.DictCursor", "MySQLdb.cursors.SSCursor", "MySQLdb.cursors.SSDictCursor"),
        ("MySQLdb.cursors.Cursor",),
    ),
    **dict.fromkeys(
        ("pymysql.cursors.DictCursor", "pymysql.cursors.SSCursor", "pymysql.cursors.SSDictCursor"),
        ("pymysql.cursors.Cursor",),
    ),
    **dict.fromkeys(
        (
            "psycopg.ClientCursor",
            "psycopg.RawCursor",
            "psycopg.RawServerCursor",
            "psycopg.ServerCursor",
        ),
        ("psycopg.Cursor",),
    ),
    "psycopg_pool.NullConnectionPool": ("psycopg_pool.ConnectionPool",),
    **dict.fromkeys(
        (
            "psycopg2.extras.DictCursor",
            "psycopg2.extras.NamedTupleCursor",
            "psycopg2.extras.RealDictCursor",
        ),
        ("psycopg2.extensions.cursor",),
    ),
    **dict.fromkeys(
        (
            "peewee.MySQLDatabase",
            "peewee.PostgresqlDatabase",
            "peewee.SqliteDatabase",
            "playhouse.pool.PooledMySQLDatabase",
            "playhouse.pool.PooledPostgresqlDatabase",
            "playhouse.pool.PooledSqliteDatabase",
            "playhouse.postgres_ext.PooledPostgresqlExtDatabase",
            "playhouse.postgres_ext.PooledPsycopg3Database",
            "playhouse.postgres_ext.PostgresqlExtDatabase",
            "playhouse.postgres_ext.Psycopg3Database",
            "playhouse.sqlite_ext.SqliteExtDatabase",
        ),
        ("peewee.Database",),
    ),
    # SQLModel's Session and scoped_session proxy SQLAlchemy's Session API.
    "sqlalchemy.orm.scoped_session": ("sqlalchemy.orm.Session",),
    "sqlmodel.Session": ("sqlalchemy.orm.Session",),
    # Datastore client subclasses.
    **dict.fromkeys(("neo4j.BoltDriver", "neo4j.Neo4jDriver"), ("neo4j.Driver",)),
    # Clients of networked services (services.py).
    **SERVICE_CLASS_BASES,
}

# Factory callables -> the session class produced when the factory's result is called.
SESSION_FACTORIES: dict[str, str] = {
    "sqlalchemy.ext.asyncio.async_scoped_session": "sqlalchemy.ext.asyncio.AsyncSession",
    "sqlalchemy.ext.asyncio.async_sessionmaker": "sqlalchemy.ext.asyncio.AsyncSession",
    "sqlalchemy.orm.scoped_session": "sqlalchemy.orm.Session",
    "sqlalchemy.orm.sessionmaker": "sqlalchemy.orm.Session",
}

# Calls that run the callable (or iterator) handed to them in a worker thread or process, so
# that code is off the event loop. functools.partial is not one: it only wraps.
# BackgroundTasks.add_task offloads sync callables only; async ones run on the loop.
OFFLOADS: frozenset[str] = frozenset(
    {
        "anyio.to_interpreter.run_sync",
        "anyio.to_process.run_sync",
        "anyio.to_thread.run_sync",
        "asyncer.asyncify",
        "asyncio.AbstractEventLoop.run_in_executor",
        "asyncio.BaseEventLoop.run_in_executor",
        "asyncio.to_thread",
        *_on("concurrent.futures.Executor", "map", "submit"),
        *_on("concurrent.futures.ProcessPoolExecutor", "map", "submit"),
        *_on("concurrent.futures.ThreadPoolExecutor", "map", "submit"),
        "fastapi.BackgroundTasks.add_task",
        "fastapi.concurrency.iterate_in_threadpool",
        "fastapi.concurrency.run_in_threadpool",
        "multiprocessing.Process",
        *_on(
            "multiprocessing.pool.Pool",
            "apply",
            "apply_async",
            "imap",
            "imap_unordered",
            "map",
            "map_async",
            "starmap",
            "starmap_async",
        ),
        "starlette.background.BackgroundTask",
        "starlette.background.BackgroundTasks.add_task",
        "starlette.concurrency.iterate_in_threadpool",
        "starlette.concurrency.run_in_threadpool",
        "threading.Thread",
        "threading.Timer",
        "trio.to_thread.run_sync",
    }
)

# Decorators that memoise what a function returns: its body runs once per set of arguments (or
# once per expiry), so I/O there is a first call's cost, not a stall of every request.
MEMOISERS: frozenset[str] = frozenset(
    {
        "aiocache.cached",
        "aiocache.decorators.cached",
        "async_lru.alru_cache",
        "cachetools.cached",
        "cachetools.cachedmethod",
        *(
            f"cachetools.func.{name}"
            for name in ("fifo_cache", "lfu_cache", "lru_cache", "mru_cache", "rr_cache")
        ),
        "cachetools.func.ttl_cache",
        "functools.cache",
        "functools.lru_cache",
        "methodtools.lru_cache",
    }
)

# Calls that open a file, as findings name them: what is then read from or written to the file
# in the same function is covered by the finding on the call that opened it.
FILE_OPENERS: frozenset[str] = frozenset(
    {
        "Path.open",
        "builtins.open",
        "bz2.open",
        "codecs.open",
        "gzip.open",
        "io.open",
        "lzma.open",
        "os.fdopen",
        "tarfile.open",
        "tempfile.NamedTemporaryFile",
        "tempfile.SpooledTemporaryFile",
        "tempfile.TemporaryFile",
        "zipfile.ZipFile",
    }
)

# File openers that take a path or a file object: (position, keyword) of that argument.
# Given an in-memory buffer (io.BytesIO, io.StringIO) they do no file I/O at all.
BUFFER_ARGUMENTS: dict[str, tuple[int, str]] = {
    "bz2.open": (0, "filename"),
    "gzip.open": (0, "filename"),
    "lzma.open": (0, "filename"),
    "tarfile.open": (2, "fileobj"),
    "zipfile.ZipFile": (0, "file"),
}
MEMORY_BUFFERS = frozenset({"io.BytesIO", "io.StringIO"})
# Files in memory until they outgrow their ``max_size``: an archive opened on one to write
# (mode "w" or "x", the argument after the file in every opener above) does no I/O when it
# is created; one opened to read or append reads the file, which may be on disk by then.
SPOOLED_BUFFERS = frozenset({"tempfile.SpooledTemporaryFile"})
