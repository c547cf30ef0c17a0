"""Calls that block the thread they run in (rule FAL101), keyed by canonical qualified name.

Class names here are the canonical ones of ``types.CANONICAL_NAMES``; methods of a subclass are
found through ``types.CLASS_BASES``. Sync database drivers live in ``databases.py``.
"""

from fastapi_lint.knowledge import BLOCKING, Sink
from fastapi_lint.knowledge.services import SERVICE_SINKS


def _on(cls: str, *methods: str) -> tuple[str, ...]:
    """``cls.method`` for each method: one family of names, written once."""
    return tuple(f"{cls}.{method}" for method in methods)


OFFLOAD = "run_in_threadpool / anyio.to_thread.run_sync, or a plain def endpoint"

SLEEP = Sink(BLOCKING, "sleeps the whole thread, so the event loop stops", "await asyncio.sleep()")
HTTP = Sink(
    BLOCKING,
    "makes a synchronous HTTP request",
    "an async client (httpx.AsyncClient, aiohttp) or run_in_threadpool",
)
HTTP_BODY = Sink(
    BLOCKING,
    "reads an HTTP response from a blocking socket",
    "an async client (httpx.AsyncClient, aiohttp) or run_in_threadpool",
)
PROCESS_RUN = Sink(
    BLOCKING,
    "runs a child process and waits for it to exit",
    "asyncio.create_subprocess_exec() or anyio.run_process()",
)
PROCESS_START = Sink(
    BLOCKING,
    "starts a child process with a blocking fork and exec",
    "asyncio.create_subprocess_exec() or anyio.open_process()",
)
PROCESS_WAIT = Sink(
    BLOCKING,
    "waits for a child process to exit",
    "await proc.wait() on an asyncio subprocess, or run_in_threadpool",
)
FILE_IO = Sink(
    BLOCKING,
    "reads or writes a file with blocking I/O",
    "anyio.open_file / anyio.Path, aiofiles, or run_in_threadpool",
)
FS_QUERY = Sink(
    BLOCKING,
    "queries the file system with a blocking syscall",
    "anyio.Path / aiofiles.os, or run_in_threadpool",
)
FS_CHANGE = Sink(
    BLOCKING,
    "changes the file system with a blocking syscall",
    "anyio.Path / aiofiles.os, or run_in_threadpool",
)
SPOOLED_FILE = Sink(
    BLOCKING,
    "reads or writes a spooled temporary file, which is on disk once it outgrows memory",
    "the async UploadFile methods (await file.read()) or run_in_threadpool",
)
INPUT = Sink(
    BLOCKING, "waits for a line on the terminal", "run_in_threadpool, or no prompt in a server"
)
SOCKET = Sink(
    BLOCKING,
    "does I/O on a blocking socket",
    "asyncio streams (asyncio.open_connection) or anyio.connect_tcp",
)
DNS = Sink(
    BLOCKING,
    "resolves a host name with a blocking DNS lookup",
    "await loop.getaddrinfo() or anyio.getaddrinfo()",
)
SELECT = Sink(
    BLOCKING,
    "waits for file descriptors to become ready, holding the thread",
    "the event loop's own readiness handling (asyncio streams, loop.add_reader)",
)
MAIL = Sink(
    BLOCKING,
    "talks to a mail server over a blocking connection",
    "aiosmtplib / aioimaplib, or a background task",
)
REMOTE = Sink(
    BLOCKING,
    "talks to a remote server over a blocking connection",
    "an async client (aioftp, telnetlib3) or run_in_threadpool",
)
THREAD_SYNC = Sink(
    BLOCKING,
    "blocks until another thread or process releases or signals it",
    "asyncio.Lock / asyncio.Event / asyncio.Queue, or run_in_threadpool",
)
WAIT_WORKER = Sink(
    BLOCKING,
    "waits for work running in another thread or process",
    "await loop.run_in_executor() / asyncio.wrap_future(), or anyio.to_thread.run_sync",
)
PASSWORD_HASH = Sink(
    BLOCKING,
    "computes a deliberately slow password hash or key derivation on the calling thread",
    OFFLOAD,
)

# passlib.hash handlers that are tuned to be slow (they take a rounds or cost setting).
PASSLIB_SLOW_HANDLERS = (
    "argon2",
    "atlassian_pbkdf2_sha1",
    "bcrypt",
    "bcrypt_sha256",
    "bsdi_crypt",
    "cta_pbkdf2_sha1",
    "django_argon2",
    "django_bcrypt",
    "django_bcrypt_sha256",
    "django_pbkdf2_sha1",
    "django_pbkdf2_sha256",
    "dlitz_pbkdf2_sha1",
    "fshp",
    "grub_pbkdf2_sha512",
    "ldap_bcrypt",
    "ldap_pbkdf2_sha1",
    "ldap_pbkdf2_sha256",
    "ldap_pbkdf2_sha512",
    "ldap_sha1_crypt",
    "ldap_sha256_crypt",
    "ldap_sha512_crypt",
    "pbkdf2_sha1",
    "pbkdf2_sha256",
    "pbkdf2_sha512",
    "phpass",
    "scram",
    "scrypt",
    "sha1_crypt",
    "sha256_crypt",
    "sha512_crypt",
    "sun_md5_crypt",
)

BLOCKING_SINKS: dict[str, Sink | None] = {
    # Sleeping.
    "time.sleep": SLEEP,
    # HTTP clients: requests.
    **dict.fromkeys(
        (
            "requests.delete",
            "requests.get",
            "requests.head",
            "requests.options",
            "requests.patch",
            "requests.post",
            "requests.put",
            "requests.request",
        ),
        HTTP,
    ),
    **dict.fromkeys(
        _on(
            "requests.Session",
            "delete",
            "get",
            "head",
            "options",
            "patch",
            "post",
            "put",
            "request",
            "send",
        ),
        HTTP,
    ),
    # HTTP clients: httpx (sync API only; httpx.AsyncClient is the fix).
    **dict.fromkeys(
        (
            "httpx.delete",
            "httpx.get",
            "httpx.head",
            "httpx.options",
            "httpx.patch",
            "httpx.post",
            "httpx.put",
            "httpx.request",
            "httpx.stream",
        ),
        HTTP,
    ),
    **dict.fromkeys(
        _on(
            "httpx.Client",
            "close",
            "delete",
            "get",
            "head",
            "options",
            "patch",
            "post",
            "put",
            "request",
            "send",
            "stream",
        ),
        HTTP,
    ),
    # HTTP clients: urllib, urllib3, http.client, httplib2.
    **dict.fromkeys(
        (
            "urllib.request.OpenerDirector.open",
            "urllib.request.urlopen",
            "urllib.request.urlretrieve",
            "urllib3.request",
            *_on(
                "urllib3.HTTPConnectionPool",
                "request",
                "request_encode_body",
                "request_encode_url",
                "urlopen",
            ),
            *_on(
                "urllib3.PoolManager",
                "request",
                "request_encode_body",
                "request_encode_url",
                "urlopen",
            ),
            *_on(
                "http.client.HTTPConnection",
                "connect",
                "endheaders",
                "getresponse",
                "request",
                "send",
            ),
            "httplib2.Http.request",
        ),
        HTTP,
    ),
    **dict.fromkeys(
        _on(
            "http.client.HTTPResponse", "peek", "read", "read1", "readinto", "readline", "readlines"
        ),
        HTTP_BODY,
    ),
    # Child processes (ruff/flake8-async ASYNC220-222).
    **dict.fromkeys(
        (
            "os.system",
            "subprocess.call",
            "subprocess.check_call",
            "subprocess.check_output",
            "subprocess.getoutput",
            "subprocess.getstatusoutput",
            "subprocess.run",
        ),
        PROCESS_RUN,
    ),
    **dict.fromkeys(
        (
            "os.popen",
            "os.posix_spawn",
            "os.posix_spawnp",
            "os.spawnl",
            "os.spawnle",
            "os.spawnlp",
            "os.spawnlpe",
            "os.spawnv",
            "os.spawnve",
            "os.spawnvp",
            "os.spawnvpe",
            "subprocess.Popen",
        ),
        PROCESS_START,
    ),
    **dict.fromkeys(
        (
            "os.wait",
            "os.wait3",
            "os.wait4",
            "os.waitid",
            "os.waitpid",
            "subprocess.Popen.communicate",
            "subprocess.Popen.wait",
        ),
        PROCESS_WAIT,
    ),
    # Opening, reading and writing files (ASYNC230-232).
    **dict.fromkeys(
        (
            "builtins.open",
            "bz2.open",
            "codecs.open",
            "gzip.open",
            "io.open_code",
            "lzma.open",
            "os.copy_file_range",
            "os.fdopen",
            "os.open",
            "os.pread",
            "os.pwrite",
            "os.read",
            "os.readv",
            "os.sendfile",
            "os.write",
            "os.writev",
            "shelve.open",
            "shutil.copy",
            "shutil.copy2",
            "shutil.copyfile",
            "shutil.copyfileobj",
            "shutil.copytree",
            "shutil.make_archive",
            "shutil.move",
            "shutil.unpack_archive",
            "tarfile.open",
            "tempfile.NamedTemporaryFile",
            "tempfile.TemporaryFile",
            "tempfile.mkstemp",
            "zipfile.ZipFile",
        ),
        FILE_IO,
    ),
    **dict.fromkeys(
        _on(
            "pathlib.Path",
            "copy",
            "copy_into",
            "move",
            "move_into",
            "open",
            "read_bytes",
            "read_text",
            "write_bytes",
            "write_text",
        ),
        FILE_IO,
    ),
    # File objects returned by open() (text and binary modes).
    **dict.fromkeys(
        (
            *_on("io.BufferedRandom", "flush", "read", "readinto", "readline", "readlines"),
            *_on("io.BufferedRandom", "truncate", "write", "writelines"),
            *_on("io.BufferedReader", "read", "read1", "readinto", "readline", "readlines"),
            *_on("io.BufferedWriter", "flush", "truncate", "write", "writelines"),
            *_on("io.FileIO", "read", "readall", "readinto", "readline", "readlines"),
            *_on("io.FileIO", "truncate", "write", "writelines"),
            *_on("io.TextIOWrapper", "flush", "read", "readline", "readlines"),
            *_on("io.TextIOWrapper", "truncate", "write", "writelines"),
        ),
        FILE_IO,
    ),
    # UploadFile.file is a SpooledTemporaryFile: its sync methods hit the disk past 1 MB.
    **dict.fromkeys(
        _on(
            "tempfile.SpooledTemporaryFile",
            "fileno",
            "flush",
            "read",
            "read1",
            "readinto",
            "readline",
            "readlines",
            "rollover",
            "truncate",
            "write",
            "writelines",
        ),
        SPOOLED_FILE,
    ),
    # File-system queries (ASYNC240).
    **dict.fromkeys(
        (
            "glob.glob",
            "glob.iglob",
            "os.access",
            "os.fstat",
            "os.fwalk",
            "os.listdir",
            "os.lstat",
            "os.path.exists",
            "os.path.getatime",
            "os.path.getctime",
            "os.path.getmtime",
            "os.path.getsize",
            "os.path.isdir",
            "os.path.isfile",
            "os.path.isjunction",
            "os.path.islink",
            "os.path.ismount",
            "os.path.lexists",
            "os.path.realpath",
            "os.path.samefile",
            "os.path.sameopenfile",
            "os.readlink",
            "os.scandir",
            "os.stat",
            "os.statvfs",
            "os.walk",
            "shutil.disk_usage",
            "shutil.which",
        ),
        FS_QUERY,
    ),
    **dict.fromkeys(
        _on(
            "pathlib.Path",
            "exists",
            "glob",
            "group",
            "is_block_device",
            "is_char_device",
            "is_dir",
            "is_fifo",
            "is_file",
            "is_junction",
            "is_mount",
            "is_socket",
            "is_symlink",
            "iterdir",
            "lstat",
            "owner",
            "readlink",
            "resolve",
            "rglob",
            "samefile",
            "stat",
            "walk",
        ),
        FS_QUERY,
    ),
    # File-system changes.
    **dict.fromkeys(
        (
            "os.chmod",
            "os.chown",
            "os.fdatasync",
            "os.fsync",
            "os.ftruncate",
            "os.lchmod",
            "os.lchown",
            "os.link",
            "os.makedirs",
            "os.mkdir",
            "os.mkfifo",
            "os.mknod",
            "os.remove",
            "os.removedirs",
            "os.rename",
            "os.renames",
            "os.replace",
            "os.rmdir",
            "os.symlink",
            "os.sync",
            "os.truncate",
            "os.unlink",
            "os.utime",
            "shutil.chown",
            "shutil.copymode",
            "shutil.copystat",
            "shutil.rmtree",
            "tempfile.TemporaryDirectory",
            "tempfile.TemporaryDirectory.cleanup",
            "tempfile.mkdtemp",
        ),
        FS_CHANGE,
    ),
    **dict.fromkeys(
        _on(
            "pathlib.Path",
            "chmod",
            "hardlink_to",
            "lchmod",
            "link_to",
            "mkdir",
            "rename",
            "replace",
            "rmdir",
            "symlink_to",
            "touch",
            "unlink",
        ),
        FS_CHANGE,
    ),
    # Terminal input (ASYNC250).
    **dict.fromkeys(("builtins.input", "getpass.getpass"), INPUT),
    # Sockets and TLS.
    **dict.fromkeys(
        (
            "socket.create_connection",
            *_on(
                "socket.socket",
                "accept",
                "connect",
                "connect_ex",
                "recv",
                "recv_into",
                "recvfrom",
                "recvfrom_into",
                "recvmsg",
                "recvmsg_into",
                "send",
                "sendall",
                "sendfile",
                "sendmsg",
                "sendto",
            ),
            "ssl.SSLContext.wrap_socket",
            "ssl.get_server_certificate",
            *_on(
                "ssl.SSLSocket",
                "do_handshake",
                "read",
                "recv",
                "recv_into",
                "send",
                "sendall",
                "unwrap",
                "write",
            ),
        ),
        SOCKET,
    ),
    # Name resolution.
    **dict.fromkeys(
        (
            "dns.resolver.query",
            "dns.resolver.resolve",
            "dns.resolver.resolve_address",
            *_on("dns.resolver.Resolver", "query", "resolve", "resolve_address"),
            "socket.getaddrinfo",
            "socket.getfqdn",
            "socket.gethostbyaddr",
            "socket.gethostbyname",
            "socket.gethostbyname_ex",
            "socket.getnameinfo",
        ),
        DNS,
    ),
    # Waiting for file descriptors.
    **dict.fromkeys(
        (
            "select.devpoll.poll",
            "select.epoll.poll",
            "select.kqueue.control",
            "select.poll.poll",
            "select.select",
            "selectors.BaseSelector.select",
        ),
        SELECT,
    ),
    # Mail protocols: constructors connect when given a host.
    **dict.fromkeys(
        (
            "imaplib.IMAP4",
            "imaplib.IMAP4.*",
            "imaplib.IMAP4_SSL",
            "imaplib.IMAP4_stream",
            "poplib.POP3",
            "poplib.POP3.*",
            "poplib.POP3_SSL",
            "smtplib.LMTP",
            "smtplib.SMTP",
            "smtplib.SMTP.*",
            "smtplib.SMTP_SSL",
        ),
        MAIL,
    ),
    **dict.fromkeys(
        (
            *_on("imaplib.IMAP4", "abort", "error", "readonly"),
            *_on("poplib.POP3", "getwelcome", "set_debuglevel"),
            *_on("smtplib.SMTP", "has_extn", "set_debuglevel"),
        ),
        None,
    ),
    # FTP and telnet.
    **dict.fromkeys(
        (
            "ftplib.FTP",
            "ftplib.FTP.*",
            "ftplib.FTP_TLS",
            "telnetlib.Telnet",
            "telnetlib.Telnet.*",
        ),
        REMOTE,
    ),
    **dict.fromkeys(
        (
            *_on("ftplib.FTP", "debug", "getwelcome", "sanitize", "set_debuglevel", "set_pasv"),
            *_on(
                "telnetlib.Telnet",
                "fileno",
                "get_socket",
                "msg",
                "set_debuglevel",
                "set_option_negotiation_callback",
            ),
        ),
        None,
    ),
    # Locks, events and queues shared with other threads or processes.
    **dict.fromkeys(
        (
            *_on("multiprocessing.queues.JoinableQueue", "join"),
            *_on("multiprocessing.queues.Queue", "get", "put"),
            *_on("multiprocessing.queues.SimpleQueue", "get"),
            *_on("multiprocessing.synchronize.Barrier", "wait"),
            *_on("multiprocessing.synchronize.Condition", "acquire", "wait", "wait_for"),
            *_on("multiprocessing.synchronize.Event", "wait"),
            *_on("multiprocessing.synchronize.Lock", "acquire"),
            *_on("multiprocessing.synchronize.RLock", "acquire"),
            *_on("multiprocessing.synchronize.Semaphore", "acquire"),
            *_on("queue.Queue", "get", "join", "put"),
            *_on("queue.SimpleQueue", "get"),
            *_on("threading.Barrier", "wait"),
            *_on("threading.Condition", "acquire", "wait", "wait_for"),
            *_on("threading.Event", "wait"),
            *_on("threading.Lock", "acquire"),
            *_on("threading.RLock", "acquire"),
            *_on("threading.Semaphore", "acquire"),
        ),
        THREAD_SYNC,
    ),
    # Waiting for threads, processes, pools and futures.
    **dict.fromkeys(
        (
            "concurrent.futures.Executor.shutdown",
            "concurrent.futures.Future.exception",
            "concurrent.futures.Future.result",
            "concurrent.futures.as_completed",
            "concurrent.futures.wait",
            "multiprocessing.Process.join",
            *_on("multiprocessing.pool.AsyncResult", "get", "wait"),
            *_on("multiprocessing.pool.Pool", "apply", "join", "map", "starmap"),
            "threading.Thread.join",
        ),
        WAIT_WORKER,
    ),
    # Password hashing and key derivation: CPU-bound by design.
    **dict.fromkeys(
        (
            "argon2.PasswordHasher.hash",
            "argon2.PasswordHasher.verify",
            "argon2.hash_password",
            "argon2.hash_password_raw",
            "argon2.low_level.hash_secret",
            "argon2.low_level.hash_secret_raw",
            "argon2.low_level.verify_secret",
            "argon2.verify_password",
            "bcrypt.checkpw",
            "bcrypt.hashpw",
            "bcrypt.kdf",
            *_on("cryptography.hazmat.primitives.kdf.argon2.Argon2id", "derive", "verify"),
            *_on("cryptography.hazmat.primitives.kdf.pbkdf2.PBKDF2HMAC", "derive", "verify"),
            *_on("cryptography.hazmat.primitives.kdf.scrypt.Scrypt", "derive", "verify"),
            "hashlib.pbkdf2_hmac",
            "hashlib.scrypt",
            *_on(
                "passlib.context.CryptContext",
                "dummy_verify",
                "encrypt",
                "genhash",
                "hash",
                "verify",
                "verify_and_update",
            ),
            *_on("pwdlib.PasswordHash", "hash", "verify", "verify_and_update"),
            *_on("pwdlib.hashers.argon2.Argon2Hasher", "hash", "verify"),
            *_on("pwdlib.hashers.bcrypt.BcryptHasher", "hash", "verify"),
            "werkzeug.security.check_password_hash",
            "werkzeug.security.generate_password_hash",
        ),
        PASSWORD_HASH,
    ),
    **dict.fromkeys(
        (
            f"passlib.hash.{handler}.{method}"
            for handler in PASSLIB_SLOW_HANDLERS
            for method in ("encrypt", "genhash", "hash", "verify")
        ),
        PASSWORD_HASH,
    ),
    # Clients of networked services (cloud SDKs, brokers, SSH, ...).
    **SERVICE_SINKS,
}
