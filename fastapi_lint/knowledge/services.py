"""Sync clients of networked services that FastAPI apps call: cloud SDKs, Kubernetes, Slack,
Stripe, Docker, SSH, LDAP, message brokers and object stores (rule FAL101).

Each family keeps its sinks and the type facts that lead to them (what a factory returns, the
type of an attribute, canonical names) together here; ``blocking.py`` and ``types.py`` merge
them into their tables. Only the blocking APIs are listed: the async twins (aioboto3,
kubernetes_asyncio, AsyncWebClient, the Azure ``.aio`` clients, Stripe's ``*_async``
methods, ...) are the fix, and constructors that only store settings are not sinks.
"""

from fastapi_lint.knowledge import BLOCKING, Sink


def _on(cls: str, *methods: str) -> tuple[str, ...]:
    """``cls.method`` for each method: one family of names, written once."""
    return tuple(f"{cls}.{method}" for method in methods)


# -- AWS: boto3 and botocore -------------------------------------------------------------------

AWS = Sink(
    BLOCKING,
    "sends a request to an AWS API over blocking HTTP",
    "aioboto3 / aiobotocore, or run_in_threadpool",
)
AWS_PAGES = Sink(
    BLOCKING,
    "fetches AWS results page by page over blocking HTTP as it is iterated",
    "aioboto3 / aiobotocore paginators (async for), or run_in_threadpool",
)
AWS_BATCH = Sink(
    BLOCKING,
    "sends the buffered items in a blocking BatchWriteItem request whenever its buffer fills",
    "aioboto3's Table.batch_writer(), or run_in_threadpool",
)
# Sub-resource factories of boto3 resources (s3.Bucket(name), bucket.Object(key), ...): they
# only build objects; their actions and load() are the requests.
BOTO3_FACTORIES = [
    "AccessKey",
    "AccessKeyPair",
    "Account",
    "AccountPasswordPolicy",
    "AccountSummary",
    "Acl",
    "Alarm",
    "Archive",
    "AssumeRolePolicy",
    "Bucket",
    "BucketAcl",
    "BucketCors",
    "BucketLifecycle",
    "BucketLifecycleConfiguration",
    "BucketLogging",
    "BucketNotification",
    "BucketPolicy",
    "BucketRequestPayment",
    "BucketTagging",
    "BucketVersioning",
    "BucketWebsite",
    "ClassicAddress",
    "Cors",
    "CurrentUser",
    "DhcpOptions",
    "Event",
    "Group",
    "GroupPolicy",
    "Image",
    "Instance",
    "InstanceProfile",
    "InternetGateway",
    "Job",
    "KeyPair",
    "Lifecycle",
    "LifecycleConfiguration",
    "Logging",
    "LoginProfile",
    "Message",
    "Metric",
    "MfaDevice",
    "MultipartUpload",
    "MultipartUploadPart",
    "NetworkAcl",
    "NetworkInterface",
    "NetworkInterfaceAssociation",
    "Notification",
    "Object",
    "ObjectAcl",
    "ObjectSummary",
    "ObjectVersion",
    "Part",
    "PlacementGroup",
    "PlatformApplication",
    "PlatformEndpoint",
    "Policy",
    "PolicyVersion",
    "Queue",
    "RequestPayment",
    "Resource",
    "Role",
    "RolePolicy",
    "Route",
    "RouteTable",
    "RouteTableAssociation",
    "SamlProvider",
    "SecurityGroup",
    "ServerCertificate",
    "SigningCertificate",
    "Snapshot",
    "Stack",
    "StackResource",
    "StackResourceSummary",
    "Subnet",
    "Subscription",
    "Table",
    "Tag",
    "Tagging",
    "Topic",
    "User",
    "UserPolicy",
    "Vault",
    "Version",
    "Versioning",
    "VirtualMfaDevice",
    "Volume",
    "Vpc",
    "VpcAddress",
    "VpcPeeringConnection",
    "Website",
]
# Collections of boto3 resources (bucket.objects, s3.buckets, ...): iterating one, or calling a
# batch action on it, lists it page by page.
BOTO3_COLLECTIONS = [
    "accepted_vpc_peering_connections",
    "access_keys",
    "alarms",
    "attached_groups",
    "attached_policies",
    "attached_roles",
    "attached_users",
    "buckets",
    "classic_addresses",
    "completed_jobs",
    "dead_letter_source_queues",
    "dhcp_options_sets",
    "endpoints",
    "events",
    "failed_jobs",
    "groups",
    "images",
    "instance_profiles",
    "instances",
    "internet_gateways",
    "jobs",
    "jobs_in_progress",
    "key_pairs",
    "metrics",
    "mfa_devices",
    "multipart_uplaods",
    "multipart_uploads",
    "network_acls",
    "network_interfaces",
    "object_versions",
    "objects",
    "parts",
    "placement_groups",
    "platform_applications",
    "policies",
    "queues",
    "requested_vpc_peering_connections",
    "resource_summaries",
    "roles",
    "route_tables",
    "saml_providers",
    "security_groups",
    "server_certificates",
    "signing_certificates",
    "snapshots",
    "stacks",
    "subnets",
    "subscriptions",
    "succeeded_jobs",
    "tables",
    "topics",
    "users",
    "vaults",
    "versions",
    "virtual_mfa_devices",
    "volumes",
    "vpc_addresses",
    "vpc_peering_connections",
    "vpcs",
]

# Type stubs (boto3-stubs as mypy_boto3_<service>, types-boto3 as types_boto3_<service>) that
# projects annotate their clients and resources with: module suffix -> client class.
BOTO3_STUB_CLIENTS = {
    "athena": "AthenaClient",
    "bedrock_runtime": "BedrockRuntimeClient",
    "dynamodb": "DynamoDBClient",
    "lambda": "LambdaClient",
    "s3": "S3Client",
    "secretsmanager": "SecretsManagerClient",
    "ses": "SESClient",
    "sns": "SNSClient",
    "sqs": "SQSClient",
    "ssm": "SSMClient",
    "sts": "STSClient",
}
# Module suffix -> (service resource class, resource classes of its service_resource module).
BOTO3_STUB_RESOURCES = {
    "dynamodb": ("DynamoDBServiceResource", ("Table",)),
    "s3": ("S3ServiceResource", ("Bucket", "Object", "ObjectSummary")),
    "sqs": ("SQSServiceResource", ("Queue",)),
}
BOTO3_STUB_PACKAGES = ("mypy_boto3", "types_boto3")


# -- Google Cloud and Firebase -----------------------------------------------------------------

GOOGLE = Sink(
    BLOCKING,
    "calls a Google Cloud API over a blocking HTTP or gRPC connection",
    "the service's async client (firestore.AsyncClient, SecretManagerServiceAsyncClient, "
    "gcloud-aio-*), or run_in_threadpool",
)
FIREBASE = Sink(
    BLOCKING,
    "calls a Firebase API over blocking HTTP",
    "run_in_threadpool, or a plain def endpoint",
)
FIREBASE_KEYS = Sink(
    BLOCKING,
    "fetches Google's public signing keys over blocking HTTP whenever its cached copy expires",
    "run_in_threadpool, or a plain def dependency",
)
BIGQUERY_CLIENT = "google.cloud.bigquery.Client"
FIRESTORE = "google.cloud.firestore"
PUBSUB = "google.cloud.pubsub_v1"
SECRET_MANAGER = "google.cloud.secretmanager.SecretManagerServiceClient"
# Firestore query builders: they return a new query, and get()/stream() run it.
FIRESTORE_QUERY_BUILDERS = (
    "end_at",
    "end_before",
    "limit",
    "limit_to_last",
    "offset",
    "order_by",
    "select",
    "start_after",
    "start_at",
    "where",
)

# -- Azure -------------------------------------------------------------------------------------

AZURE = Sink(
    BLOCKING,
    "calls an Azure service over blocking HTTP",
    "the client's .aio twin (azure.storage.blob.aio, azure.cosmos.aio, ...), or run_in_threadpool",
)
AZURE_CONNECT = Sink(
    BLOCKING,
    "reads the Cosmos DB account over blocking HTTP as soon as the client is constructed",
    "azure.cosmos.aio.CosmosClient, created once in the lifespan",
)
AZURE_TOKEN = Sink(
    BLOCKING,
    "acquires an Azure access token over blocking HTTP, or by running a developer tool "
    "(Azure CLI, PowerShell) as a child process",
    "the azure.identity.aio credentials, or run_in_threadpool",
)
BLOB = "azure.storage.blob"
COSMOS = "azure.cosmos"
# Credentials of azure.identity (sync); their azure.identity.aio twins are awaited.
AZURE_CREDENTIALS = (
    "AuthorizationCodeCredential",
    "AzureCliCredential",
    "AzureDeveloperCliCredential",
    "AzurePipelinesCredential",
    "AzurePowerShellCredential",
    "CertificateCredential",
    "ChainedTokenCredential",
    "ClientAssertionCredential",
    "ClientSecretCredential",
    "DefaultAzureCredential",
    "DeviceCodeCredential",
    "EnvironmentCredential",
    "InteractiveBrowserCredential",
    "ManagedIdentityCredential",
    "OnBehalfOfCredential",
    "SharedTokenCacheCredential",
    "UsernamePasswordCredential",
    "VisualStudioCodeCredential",
    "WorkloadIdentityCredential",
)

# -- Kubernetes --------------------------------------------------------------------------------

KUBERNETES = Sink(
    BLOCKING,
    "calls the Kubernetes API server over blocking HTTP",
    "kubernetes_asyncio, or run_in_threadpool",
)
KUBERNETES_STREAM = Sink(
    BLOCKING,
    "streams from the Kubernetes API server over a blocking connection",
    "kubernetes_asyncio's watch and stream modules, or run_in_threadpool",
)
KUBERNETES_CONFIG = Sink(
    BLOCKING,
    "reads kubeconfig or service-account files, and may run the credential plugin a "
    "kubeconfig names as a child process",
    "kubernetes_asyncio.config, or loading the configuration once at startup",
)
KUBERNETES_DISCOVERY = Sink(
    BLOCKING,
    "discovers the API server's resource types over blocking HTTP unless they are cached already",
    "kubernetes_asyncio.dynamic, or a client built once at startup",
)
KUBERNETES_DYNAMIC = Sink(
    BLOCKING,
    "discovers the API server's resource types over blocking HTTP (or from its cache file) when "
    "constructed",
    "kubernetes_asyncio.dynamic, or a client built once at startup",
)
# The API classes of kubernetes.client (every version of the generated client); each method is
# one request. Each lives in kubernetes.client.api.<snake_case name>.
KUBERNETES_API_CLASSES = [
    "AdmissionregistrationApi",
    "AdmissionregistrationV1Api",
    "AdmissionregistrationV1alpha1Api",
    "AdmissionregistrationV1beta1Api",
    "ApiextensionsApi",
    "ApiextensionsV1Api",
    "ApiextensionsV1beta1Api",
    "ApiregistrationApi",
    "ApiregistrationV1Api",
    "ApiregistrationV1beta1Api",
    "ApisApi",
    "AppsApi",
    "AppsV1Api",
    "AppsV1beta1Api",
    "AppsV1beta2Api",
    "AuditregistrationApi",
    "AuditregistrationV1alpha1Api",
    "AuthenticationApi",
    "AuthenticationV1Api",
    "AuthenticationV1alpha1Api",
    "AuthenticationV1beta1Api",
    "AuthorizationApi",
    "AuthorizationV1Api",
    "AuthorizationV1beta1Api",
    "AutoscalingApi",
    "AutoscalingV1Api",
    "AutoscalingV2Api",
    "AutoscalingV2beta1Api",
    "AutoscalingV2beta2Api",
    "BatchApi",
    "BatchV1Api",
    "BatchV1beta1Api",
    "BatchV2alpha1Api",
    "CertificatesApi",
    "CertificatesV1Api",
    "CertificatesV1alpha1Api",
    "CertificatesV1beta1Api",
    "CoordinationApi",
    "CoordinationV1Api",
    "CoordinationV1alpha2Api",
    "CoordinationV1beta1Api",
    "CoreApi",
    "CoreV1Api",
    "CustomObjectsApi",
    "DiscoveryApi",
    "DiscoveryV1Api",
    "DiscoveryV1alpha1Api",
    "DiscoveryV1beta1Api",
    "EventsApi",
    "EventsV1Api",
    "EventsV1beta1Api",
    "ExtensionsApi",
    "ExtensionsV1beta1Api",
    "FlowcontrolApiserverApi",
    "FlowcontrolApiserverV1Api",
    "FlowcontrolApiserverV1alpha1Api",
    "FlowcontrolApiserverV1beta1Api",
    "FlowcontrolApiserverV1beta2Api",
    "FlowcontrolApiserverV1beta3Api",
    "InternalApiserverApi",
    "InternalApiserverV1alpha1Api",
    "LifecycleApi",
    "LifecycleV1alpha1Api",
    "LogsApi",
    "NetworkingApi",
    "NetworkingV1Api",
    "NetworkingV1alpha1Api",
    "NetworkingV1beta1Api",
    "NodeApi",
    "NodeV1Api",
    "NodeV1alpha1Api",
    "NodeV1beta1Api",
    "OpenidApi",
    "PolicyApi",
    "PolicyV1Api",
    "PolicyV1beta1Api",
    "RbacAuthorizationApi",
    "RbacAuthorizationV1Api",
    "RbacAuthorizationV1alpha1Api",
    "RbacAuthorizationV1beta1Api",
    "ResourceApi",
    "ResourceV1Api",
    "ResourceV1alpha2Api",
    "ResourceV1alpha3Api",
    "ResourceV1beta1Api",
    "ResourceV1beta2Api",
    "SchedulingApi",
    "SchedulingV1Api",
    "SchedulingV1alpha1Api",
    "SchedulingV1alpha2Api",
    "SchedulingV1alpha3Api",
    "SchedulingV1beta1Api",
    "SettingsApi",
    "SettingsV1alpha1Api",
    "StorageApi",
    "StorageV1Api",
    "StorageV1alpha1Api",
    "StorageV1beta1Api",
    "StoragemigrationApi",
    "StoragemigrationV1Api",
    "StoragemigrationV1beta1Api",
    "VersionApi",
    "WellKnownApi",
]


def kubernetes_api_module(class_name: str) -> str:
    """``CoreV1Api`` -> ``kubernetes.client.api.core_v1_api``, where the generator puts it."""
    snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in class_name).lstrip("_")
    return f"kubernetes.client.api.{snake}"


# -- JSON Web Key Sets -------------------------------------------------------------------------

JWKS = Sink(
    BLOCKING,
    "fetches the JSON Web Key Set over blocking HTTP (urllib) whenever its cache is empty or stale",
    "fetching the keys with an async client (httpx.AsyncClient) and caching them, or "
    "run_in_threadpool",
)

# -- Slack -------------------------------------------------------------------------------------

SLACK = Sink(
    BLOCKING,
    "calls the Slack Web API over blocking HTTP",
    "slack_sdk's AsyncWebClient (slack_bolt's AsyncApp), or run_in_threadpool",
)
SLACK_APP = Sink(
    BLOCKING,
    "calls the Slack API (auth.test) over blocking HTTP to verify its token when constructed",
    "slack_bolt.async_app.AsyncApp, created once at startup",
)

# -- Stripe ------------------------------------------------------------------------------------

STRIPE = Sink(
    BLOCKING,
    "calls the Stripe API over blocking HTTP",
    "its *_async twin (await stripe.Customer.create_async(...)), or run_in_threadpool",
)
# Resource classes (stripe.<name>) -> their methods that make a request, each of which has an
# awaitable *_async twin; they are class methods, and the instance-level ones share the name.
STRIPE_RESOURCES: dict[str, str] = {
    "Account": (
        "create create_external_account create_login_link create_person delete "
        "delete_external_account delete_person list list_capabilities list_external_accounts "
        "list_persons modify modify_capability modify_external_account modify_person persons "
        "reject retrieve retrieve_capability retrieve_external_account retrieve_person unreject"
    ),
    "AccountLink": "create",
    "AccountSession": "create",
    "ApplePayDomain": "create delete list retrieve",
    "ApplicationFee": (
        "create_refund list list_refunds modify_refund refund retrieve retrieve_refund"
    ),
    "Balance": "retrieve",
    "BalanceSettings": "modify retrieve",
    "BalanceTransaction": "list retrieve",
    "BankAccount": "delete",
    "Card": "delete",
    "Charge": (
        "capture create list list_refunds modify retrieve retrieve_refund search "
        "search_auto_paging_iter"
    ),
    "ConfirmationToken": "retrieve",
    "CountrySpec": "list retrieve",
    "Coupon": "create delete list modify retrieve",
    "CreditNote": "create list list_lines modify preview preview_lines retrieve void_credit_note",
    "Customer": (
        "create create_balance_transaction create_funding_instructions create_source create_tax_id "
        "delete delete_discount delete_source delete_tax_id list list_balance_transactions "
        "list_cash_balance_transactions list_payment_methods list_sources list_tax_ids modify "
        "modify_balance_transaction modify_cash_balance modify_source retrieve "
        "retrieve_balance_transaction retrieve_cash_balance retrieve_cash_balance_transaction "
        "retrieve_payment_method retrieve_source retrieve_tax_id search search_auto_paging_iter"
    ),
    "CustomerSession": "create",
    "Dispute": "close list modify retrieve",
    "EphemeralKey": "create delete",
    "Event": "list retrieve",
    "ExchangeRate": "list retrieve",
    "File": "create list retrieve",
    "FileLink": "create list modify retrieve",
    "Invoice": (
        "add_lines attach_payment create create_preview delete finalize_invoice list list_lines "
        "mark_uncollectible modify pay remove_lines retrieve search search_auto_paging_iter "
        "send_invoice update_lines void_invoice"
    ),
    "InvoiceItem": "create delete list modify retrieve",
    "InvoiceLineItem": "modify",
    "InvoicePayment": "list retrieve",
    "InvoiceRenderingTemplate": "archive list retrieve unarchive",
    "Mandate": "retrieve",
    "PaymentAttemptRecord": "list retrieve",
    "PaymentIntent": (
        "apply_customer_balance cancel capture confirm create increment_authorization list "
        "list_amount_details_line_items modify retrieve search search_auto_paging_iter "
        "verify_microdeposits"
    ),
    "PaymentLink": "create list list_line_items modify retrieve",
    "PaymentMethod": "attach create detach list modify retrieve",
    "PaymentMethodDomain": "create list modify retrieve validate",
    "PaymentRecord": (
        "list report_payment report_payment_attempt report_payment_attempt_canceled "
        "report_payment_attempt_failed report_payment_attempt_guaranteed "
        "report_payment_attempt_informational report_refund retrieve"
    ),
    "Payout": "cancel create list modify retrieve reverse",
    "Plan": "create delete list modify retrieve",
    "Price": "create list modify retrieve search search_auto_paging_iter",
    "Product": (
        "create create_feature delete delete_feature list list_features modify retrieve "
        "retrieve_feature search search_auto_paging_iter"
    ),
    "PromotionCode": "create list modify retrieve",
    "Quote": (
        "accept cancel create finalize_quote list list_computed_upfront_line_items list_line_items "
        "modify pdf retrieve"
    ),
    "Refund": "cancel create list modify retrieve",
    "Review": "approve list retrieve",
    "SetupAttempt": "list",
    "SetupIntent": "cancel confirm create list modify retrieve verify_microdeposits",
    "ShippingRate": "create list modify retrieve",
    "Source": "create list_source_transactions modify retrieve verify",
    "Subscription": (
        "cancel create delete_discount list migrate modify pause resume retrieve search "
        "search_auto_paging_iter"
    ),
    "SubscriptionItem": "create delete list modify retrieve",
    "SubscriptionSchedule": "cancel create list modify release retrieve",
    "TaxCode": "list retrieve",
    "TaxId": "create delete list retrieve",
    "TaxRate": "create list modify retrieve",
    "Token": "create retrieve",
    "Topup": "cancel create list modify retrieve",
    "Transfer": (
        "create create_reversal list list_reversals modify modify_reversal retrieve "
        "retrieve_reversal"
    ),
    "WebhookEndpoint": "create delete list modify retrieve",
    "apps.Install": "create list modify retrieve uninstall",
    "apps.Secret": "create delete_where find list",
    "billing.Alert": "activate archive create deactivate list retrieve",
    "billing.CreditBalanceSummary": "retrieve",
    "billing.CreditGrant": "create expire list modify retrieve void_grant",
    "billing.FeedbackOption": "create deactivate list modify retrieve",
    "billing.Meter": "create deactivate list list_event_summaries modify reactivate retrieve",
    "billing.MeterEvent": "create",
    "billing.MeterEventAdjustment": "create",
    "billing_portal.Configuration": "create list modify retrieve",
    "billing_portal.Session": "create",
    "checkout.Session": "create expire list list_line_items modify retrieve",
    "climate.Order": "cancel create list modify retrieve",
    "climate.Product": "list retrieve",
    "climate.Supplier": "list retrieve",
    "entitlements.ActiveEntitlement": "list retrieve",
    "entitlements.Feature": "create list modify retrieve",
    "financial_connections.Account": (
        "disconnect list list_owners refresh_account retrieve subscribe unsubscribe"
    ),
    "financial_connections.Session": "create retrieve",
    "financial_connections.Transaction": "list retrieve",
    "forwarding.Request": "create list retrieve",
    "identity.VerificationReport": "list retrieve",
    "identity.VerificationSession": "cancel create list modify redact retrieve",
    "issuing.Authorization": "approve decline list modify retrieve",
    "issuing.Card": "create list modify retrieve",
    "issuing.Cardholder": "create list modify retrieve",
    "issuing.Dispute": "create list modify retrieve submit",
    "issuing.PersonalizationDesign": "create list modify retrieve",
    "issuing.PhysicalBundle": "list retrieve",
    "issuing.Token": "list modify retrieve",
    "issuing.Transaction": "list modify retrieve",
    "radar.EarlyFraudWarning": "list retrieve",
    "radar.PaymentEvaluation": "create",
    "radar.ValueList": "create delete list modify retrieve",
    "radar.ValueListItem": "create delete list retrieve",
    "reporting.ReportRun": "create list retrieve",
    "reporting.ReportType": "list retrieve",
    "sigma.ScheduledQueryRun": "list retrieve",
    "tax.Association": "find",
    "tax.Calculation": "create list_line_items retrieve",
    "tax.Location": "create list retrieve",
    "tax.Registration": "create list modify retrieve",
    "tax.Settings": "modify retrieve",
    "tax.Transaction": "create_from_calculation create_reversal list_line_items retrieve",
    "terminal.Configuration": "create delete list modify retrieve",
    "terminal.ConnectionToken": "create",
    "terminal.Location": "create delete list modify retrieve",
    "terminal.OnboardingLink": "create",
    "terminal.Reader": (
        "cancel_action collect_inputs collect_payment_method confirm_payment_intent create delete "
        "list modify process_payment_intent process_setup_intent refund_payment retrieve "
        "set_reader_display"
    ),
    "test_helpers.TestClock": "advance create delete list retrieve",
    "treasury.CreditReversal": "create list retrieve",
    "treasury.DebitReversal": "create list retrieve",
    "treasury.FinancialAccount": (
        "close create list modify retrieve retrieve_features update_features"
    ),
    "treasury.InboundTransfer": "cancel create list retrieve",
    "treasury.OutboundPayment": "cancel create list retrieve",
    "treasury.OutboundTransfer": "cancel create list retrieve",
    "treasury.ReceivedCredit": "list retrieve",
    "treasury.ReceivedDebit": "list retrieve",
    "treasury.Transaction": "list retrieve",
    "treasury.TransactionEntry": "list retrieve",
}
# Method names of the StripeClient services (client.v1.customers.create(...)); each has an
# awaitable *_async twin.
STRIPE_SERVICE_METHODS = [
    "accept",
    "add_lines",
    "apply_customer_balance",
    "approve",
    "archive",
    "attach",
    "attach_payment",
    "cancel",
    "capture",
    "close",
    "confirm",
    "create",
    "create_preview",
    "delete",
    "delete_discount",
    "detach",
    "finalize_invoice",
    "finalize_quote",
    "increment_authorization",
    "list",
    "mark_uncollectible",
    "migrate",
    "pause",
    "pay",
    "pdf",
    "preview",
    "reject",
    "release",
    "remove_lines",
    "report_payment",
    "report_payment_attempt",
    "report_payment_attempt_canceled",
    "report_payment_attempt_failed",
    "report_payment_attempt_guaranteed",
    "report_payment_attempt_informational",
    "report_refund",
    "resume",
    "retrieve",
    "retrieve_current",
    "reverse",
    "search",
    "send_invoice",
    "unarchive",
    "unreject",
    "update",
    "update_lines",
    "validate",
    "verify",
    "verify_microdeposits",
    "void_credit_note",
    "void_invoice",
]
STRIPE_SERVICE = "stripe._stripe_service.StripeService"

# -- Docker ------------------------------------------------------------------------------------

DOCKER = Sink(
    BLOCKING,
    "talks to the Docker daemon over a blocking socket",
    "aiodocker, or run_in_threadpool",
)
DOCKER_CONNECT = Sink(
    BLOCKING,
    "asks the Docker daemon for its API version over a blocking socket when constructed "
    "(unless version= is given)",
    "aiodocker, or a client created once at startup",
)

# -- SSH, LDAP, brokers, object stores ---------------------------------------------------------

SSH = Sink(
    BLOCKING,
    "talks to an SSH server over a blocking connection",
    "asyncssh, or run_in_threadpool",
)
LDAP = Sink(
    BLOCKING,
    "talks to an LDAP server over a blocking connection",
    "run_in_threadpool (ldap3 has no asyncio API), or a plain def endpoint",
)
BROKER = Sink(
    BLOCKING,
    "talks to a message broker over a blocking connection",
    "an async client (aio-pika) or run_in_threadpool",
)
BROKER_CONNECT = Sink(
    BLOCKING,
    "connects to the broker and waits for the AMQP handshake when constructed",
    "aio-pika's connect_robust(), awaited once in the lifespan",
)
KAFKA = Sink(
    BLOCKING,
    "talks to Kafka brokers over blocking sockets",
    "aiokafka, or run_in_threadpool",
)
KAFKA_CONNECT = Sink(
    BLOCKING,
    "connects to the bootstrap servers and waits for the cluster's metadata when constructed",
    "aiokafka's AIOKafkaProducer / AIOKafkaConsumer, started in the lifespan",
)
KAFKA_SEND = Sink(
    BLOCKING,
    "waits for the topic's metadata on first use, and for buffer space when the buffer is "
    "full (up to max_block_ms)",
    "aiokafka's AIOKafkaProducer.send, or run_in_threadpool",
)
MINIO = Sink(
    BLOCKING,
    "calls the MinIO (S3) server over blocking HTTP",
    "an async S3 client (aioboto3, miniopy-async), or run_in_threadpool",
)


SERVICE_SINKS: dict[str, Sink | None] = {
    # AWS: every call on a boto3/botocore client or resource is a request.
    **dict.fromkeys(
        (
            "boto3.resources.base.ServiceResource.*",
            "botocore.client.BaseClient.*",
            "botocore.waiter.Waiter.wait",
        ),
        AWS,
    ),
    **dict.fromkeys(
        (
            "botocore.paginate.PageIterator.build_full_result",
            "botocore.paginate.PageIterator.search",
            # Lazy, but iterated where it is called: `for page in paginator.paginate(...)`.
            "botocore.paginate.Paginator.paginate",
            "boto3.resources.collection.CollectionManager.*",
            "boto3.resources.collection.ResourceCollection.*",
        ),
        AWS_PAGES,
    ),
    **dict.fromkeys(_on("boto3.dynamodb.table.BatchWriter", "delete_item", "put_item"), AWS_BATCH),
    # Client methods that only build objects or sign URLs and tokens locally.
    **dict.fromkeys(
        _on(
            "botocore.client.BaseClient",
            "can_paginate",
            "close",
            "generate_db_auth_token",
            "generate_db_connect_admin_auth_token",
            "generate_db_connect_auth_token",
            "generate_presigned_post",
            "generate_presigned_url",
            "get_paginator",
            "get_waiter",
        ),
        None,
    ),
    **dict.fromkeys(
        _on(
            "boto3.resources.base.ServiceResource",
            *BOTO3_FACTORIES,
            "batch_writer",
            "get_available_subresources",
        ),
        None,
    ),
    # Google Cloud Storage.
    **dict.fromkeys(
        (
            *_on(
                "google.cloud.storage.Blob",
                "compose",
                "create_resumable_upload_session",
                "delete",
                "download_as_bytes",
                "download_as_string",
                "download_as_text",
                "download_to_file",
                "download_to_filename",
                "exists",
                "get_iam_policy",
                "make_private",
                "make_public",
                "open",
                "patch",
                "reload",
                "rewrite",
                "set_iam_policy",
                "test_iam_permissions",
                "update",
                "update_storage_class",
                "upload_from_file",
                "upload_from_filename",
                "upload_from_string",
            ),
            *_on(
                "google.cloud.storage.Bucket",
                "copy_blob",
                "create",
                "delete",
                "delete_blob",
                "delete_blobs",
                "exists",
                "get_blob",
                "get_iam_policy",
                "get_notification",
                "list_blobs",
                "list_notifications",
                "lock_retention_policy",
                "make_private",
                "make_public",
                "move_blob",
                "patch",
                "reload",
                "rename_blob",
                "restore_blob",
                "set_iam_policy",
                "test_iam_permissions",
                "update",
            ),
            *_on(
                "google.cloud.storage.Client",
                "create_bucket",
                "create_hmac_key",
                "download_blob_to_file",
                "get_bucket",
                "get_hmac_key_metadata",
                "get_service_account_email",
                "list_blobs",
                "list_buckets",
                "list_hmac_keys",
                "lookup_bucket",
                "restore_bucket",
            ),
            # BigQuery: query() starts a job; result() and the downloads wait for it.
            *_on(
                BIGQUERY_CLIENT,
                "cancel_job",
                "copy_table",
                "create_dataset",
                "create_job",
                "create_routine",
                "create_table",
                "delete_dataset",
                "delete_job_metadata",
                "delete_model",
                "delete_routine",
                "delete_table",
                "extract_table",
                "get_dataset",
                "get_iam_policy",
                "get_job",
                "get_model",
                "get_routine",
                "get_service_account_email",
                "get_table",
                "insert_rows",
                "insert_rows_from_dataframe",
                "insert_rows_json",
                "list_datasets",
                "list_jobs",
                "list_models",
                "list_partitions",
                "list_projects",
                "list_routines",
                "list_rows",
                "list_tables",
                "load_table_from_dataframe",
                "load_table_from_file",
                "load_table_from_json",
                "load_table_from_uri",
                "query",
                "query_and_wait",
                "set_iam_policy",
                "test_iam_permissions",
                "update_dataset",
                "update_model",
                "update_routine",
                "update_table",
            ),
            *_on(
                "google.cloud.bigquery.QueryJob",
                "cancel",
                "exists",
                "reload",
                "result",
                "to_arrow",
                "to_dataframe",
                "to_geodataframe",
            ),
            *_on(
                "google.cloud.bigquery.table.RowIterator",
                "to_arrow",
                "to_arrow_iterable",
                "to_dataframe",
                "to_dataframe_iterable",
                "to_geodataframe",
            ),
            # Firestore (firestore.AsyncClient and its references are the async twins).
            *_on(f"{FIRESTORE}.Client", "collections", "get_all", "recursive_delete"),
            *_on(f"{FIRESTORE}.CollectionReference", "add", "get", "list_documents", "stream"),
            *_on(
                f"{FIRESTORE}.DocumentReference",
                "collections",
                "create",
                "delete",
                "get",
                "set",
                "update",
            ),
            *_on(f"{FIRESTORE}.Query", "get", "stream"),
            f"{FIRESTORE}.CollectionGroup.get_partitions",
            f"{FIRESTORE}.WriteBatch.commit",
            *_on(f"{FIRESTORE}.Transaction", "commit", "get", "get_all"),
            *_on("google.cloud.firestore_v1.aggregation.AggregationQuery", "get", "stream"),
            *_on("google.cloud.firestore_v1.vector_query.VectorQuery", "get", "stream"),
            # Pub/Sub: publish() and subscribe() return futures; the admin calls block.
            *_on(
                f"{PUBSUB}.PublisherClient",
                "create_topic",
                "delete_topic",
                "detach_subscription",
                "get_iam_policy",
                "get_topic",
                "list_topic_snapshots",
                "list_topic_subscriptions",
                "list_topics",
                "set_iam_policy",
                "test_iam_permissions",
                "update_topic",
            ),
            *_on(
                f"{PUBSUB}.SubscriberClient",
                "acknowledge",
                "create_snapshot",
                "create_subscription",
                "delete_snapshot",
                "delete_subscription",
                "get_iam_policy",
                "get_snapshot",
                "get_subscription",
                "list_snapshots",
                "list_subscriptions",
                "modify_ack_deadline",
                "modify_push_config",
                "pull",
                "seek",
                "set_iam_policy",
                "streaming_pull",
                "test_iam_permissions",
                "update_snapshot",
                "update_subscription",
            ),
            # Secret Manager (its path helpers are local).
            *_on(
                SECRET_MANAGER,
                "access_secret_version",
                "add_secret_version",
                "create_secret",
                "delete_secret",
                "destroy_secret_version",
                "disable_secret_version",
                "enable_managed_rotation",
                "enable_secret_version",
                "get_iam_policy",
                "get_location",
                "get_secret",
                "get_secret_version",
                "list_locations",
                "list_secret_versions",
                "list_secrets",
                "rotate_secret",
                "set_iam_policy",
                "test_iam_permissions",
                "update_secret",
            ),
        ),
        GOOGLE,
    ),
    # Firebase Admin: ID tokens are checked against Google's keys, fetched when they expire.
    **dict.fromkeys(
        _on("firebase_admin.auth", "verify_id_token", "verify_session_cookie"), FIREBASE_KEYS
    ),
    **dict.fromkeys(
        (
            *_on(
                "firebase_admin.auth",
                "create_session_cookie",
                "create_user",
                "delete_user",
                "delete_users",
                "generate_email_verification_link",
                "generate_password_reset_link",
                "generate_sign_in_with_email_link",
                "get_user",
                "get_user_by_email",
                "get_user_by_phone_number",
                "get_users",
                "import_users",
                "list_users",
                "revoke_refresh_tokens",
                "set_custom_user_claims",
                "update_user",
            ),
            *_on(
                "firebase_admin.messaging",
                "send",
                "send_all",
                "send_each",
                "send_each_for_multicast",
                "send_multicast",
                "subscribe_to_topic",
                "unsubscribe_from_topic",
            ),
        ),
        FIREBASE,
    ),
    # Azure SDK sync clients (the .aio modules hold the async twins).
    **dict.fromkeys(
        (
            f"{BLOB}.BlobClient.*",
            f"{BLOB}.BlobServiceClient.*",
            f"{BLOB}.ContainerClient.*",
            f"{BLOB}.StorageStreamDownloader.*",
            f"{COSMOS}.ContainerProxy.*",
            f"{COSMOS}.CosmosClient.*",
            f"{COSMOS}.DatabaseProxy.*",
            "azure.keyvault.secrets.SecretClient.*",
            "azure.search.documents.SearchClient.*",
        ),
        AZURE,
    ),
    **dict.fromkeys(
        (
            *_on(f"{BLOB}.BlobClient", "close", "from_blob_url", "from_connection_string"),
            *_on(
                f"{BLOB}.BlobServiceClient",
                "close",
                "from_connection_string",
                "get_blob_client",
                "get_container_client",
            ),
            *_on(
                f"{BLOB}.ContainerClient",
                "close",
                "from_connection_string",
                "from_container_url",
                "get_blob_client",
            ),
            *_on(f"{COSMOS}.ContainerProxy", "get_latest_session_token", "is_feed_range_subset"),
            *_on(f"{COSMOS}.CosmosClient", "close", "get_database_client"),
            *_on(f"{COSMOS}.DatabaseProxy", "get_container_client", "get_user_client"),
            "azure.keyvault.secrets.SecretClient.close",
            "azure.search.documents.SearchClient.close",
        ),
        None,
    ),
    **dict.fromkeys(
        (f"{COSMOS}.CosmosClient", f"{COSMOS}.CosmosClient.from_connection_string"), AZURE_CONNECT
    ),
    **{
        f"azure.identity.{credential}.{method}": AZURE_TOKEN
        for credential in AZURE_CREDENTIALS
        for method in ("get_token", "get_token_info")
    },
    "azure.identity.BearerTokenProvider.__call__": AZURE_TOKEN,
    # Kubernetes: every method of an API class is a request.
    **dict.fromkeys((f"kubernetes.client.{name}.*" for name in KUBERNETES_API_CLASSES), KUBERNETES),
    **dict.fromkeys(
        (
            *_on("kubernetes.client.ApiClient", "call_api", "request"),
            *_on(
                "kubernetes.dynamic.DynamicClient",
                "create",
                "delete",
                "ensure_namespace",
                "get",
                "patch",
                "replace",
                "request",
                "server_side_apply",
            ),
        ),
        KUBERNETES,
    ),
    "kubernetes.dynamic.DynamicClient": KUBERNETES_DYNAMIC,
    **dict.fromkeys(
        _on("kubernetes.dynamic.LazyDiscoverer", "get", "search"), KUBERNETES_DISCOVERY
    ),
    **dict.fromkeys(
        (
            "kubernetes.dynamic.DynamicClient.watch",
            "kubernetes.stream.portforward",
            "kubernetes.stream.stream",
            "kubernetes.watch.Watch.stream",
        ),
        KUBERNETES_STREAM,
    ),
    **dict.fromkeys(
        _on(
            "kubernetes.config",
            "list_kube_config_contexts",
            "load_config",
            "load_incluster_config",
            "load_kube_config",
            "load_kube_config_from_dict",
            "new_client_from_config",
            "new_client_from_config_dict",
        ),
        KUBERNETES_CONFIG,
    ),
    # PyJWT's JWKS client: the key lookups fetch the set when the cache cannot answer.
    **dict.fromkeys(
        _on(
            "jwt.PyJWKClient",
            "fetch_data",
            "get_jwk_set",
            "get_signing_key",
            "get_signing_key_from_jwt",
            "get_signing_keys",
        ),
        JWKS,
    ),
    # Slack: every WebClient method is a Web API call; a sync bolt App checks its token.
    "slack_sdk.WebClient.*": SLACK,
    "slack_sdk.WebClient.validate_slack_signature": None,
    **dict.fromkeys(_on("slack_sdk.webhook.WebhookClient", "send", "send_dict"), SLACK),
    "slack_bolt.App": SLACK_APP,
    # Stripe: the resources' class methods (and the instance methods of the same names).
    **{
        f"stripe.{resource}.{method}": STRIPE
        for resource, methods in STRIPE_RESOURCES.items()
        for method in methods.split()
    },
    **dict.fromkeys(
        (
            # Removed in stripe-python 12, still in code pinned to an older release.
            *_on("stripe.Invoice", "upcoming", "upcoming_lines"),
            *_on("stripe.SubscriptionItem", "create_usage_record", "list_usage_record_summaries"),
            *_on("stripe.ListObject", "auto_paging_iter", "next_page", "previous_page"),
            *_on("stripe.OAuth", "deauthorize", "token"),
            *_on("stripe.SearchResultObject", "auto_paging_iter", "next_search_result_page"),
            "stripe.StripeClient.raw_request",
            f"{STRIPE_SERVICE}.*",
        ),
        STRIPE,
    ),
    **dict.fromkeys(
        (
            f"{STRIPE_SERVICE}.authorize_url",
            *(f"{STRIPE_SERVICE}.{method}_async" for method in STRIPE_SERVICE_METHODS),
        ),
        None,
    ),
    # Docker: the client asks the daemon for its version when built; every call is a request.
    **dict.fromkeys(
        (
            "docker.APIClient",
            "docker.DockerClient",
            "docker.DockerClient.from_env",
            "docker.from_env",
        ),
        DOCKER_CONNECT,
    ),
    **dict.fromkeys(
        (
            "docker.APIClient.*",
            "docker.DockerClient.*",
            "docker.models.resource.Collection.*",
            "docker.models.resource.Model.*",
        ),
        DOCKER,
    ),
    **dict.fromkeys(
        (
            *_on("docker.APIClient", "close", "get_adapter", "mount"),
            "docker.DockerClient.close",
            *_on("docker.models.resource.Collection", "model", "prepare_model"),
        ),
        None,
    ),
    # SSH and SFTP (paramiko).
    **dict.fromkeys(
        (
            *_on("paramiko.SSHClient", "connect", "exec_command", "invoke_shell", "open_sftp"),
            "paramiko.SFTPClient.*",
            "paramiko.SFTPClient.from_transport",
            *_on(
                "paramiko.Transport",
                "accept",
                "auth_interactive",
                "auth_none",
                "auth_password",
                "auth_publickey",
                "connect",
                "global_request",
                "open_channel",
                "open_session",
                "open_sftp_client",
                "renegotiate_keys",
                "request_port_forward",
                "start_client",
            ),
        ),
        SSH,
    ),
    **dict.fromkeys(_on("paramiko.SFTPClient", "get_channel", "getcwd"), None),
    # LDAP (ldap3, sync strategies).
    **dict.fromkeys(
        (
            *_on(
                "ldap3.Connection",
                "abandon",
                "add",
                "bind",
                "compare",
                "delete",
                "do_ntlm_bind",
                "do_sasl_bind",
                "extended",
                "modify",
                "modify_dn",
                "rebind",
                "refresh_server_info",
                "search",
                "start_tls",
                "unbind",
            ),
            "ldap3.extend.MicrosoftExtendedOperations.*",
            "ldap3.extend.NovellExtendedOperations.*",
            "ldap3.extend.StandardExtendedOperations.*",
        ),
        LDAP,
    ),
    # RabbitMQ (pika's BlockingConnection connects when constructed).
    **dict.fromkeys(
        ("pika.BlockingConnection.*", "pika.adapters.blocking_connection.BlockingChannel.*"),
        BROKER,
    ),
    **dict.fromkeys(
        (
            *_on(
                "pika.BlockingConnection",
                "add_callback_threadsafe",
                "add_on_connection_blocked_callback",
                "add_on_connection_unblocked_callback",
                "call_later",
                "remove_timeout",
            ),
            *_on(
                "pika.adapters.blocking_connection.BlockingChannel",
                "add_on_cancel_callback",
                "add_on_return_callback",
                "get_waiting_message_count",
            ),
        ),
        None,
    ),
    "pika.BlockingConnection": BROKER_CONNECT,
    # Kafka (kafka-python; aiokafka is the async client).
    **dict.fromkeys(
        ("kafka.KafkaAdminClient", "kafka.KafkaConsumer", "kafka.KafkaProducer"), KAFKA_CONNECT
    ),
    "kafka.KafkaProducer.send": KAFKA_SEND,
    **dict.fromkeys(
        (
            "kafka.KafkaAdminClient.*",
            *_on(
                "kafka.KafkaConsumer",
                "beginning_offsets",
                "bootstrap",
                "close",
                "commit",
                "committed",
                "end_offsets",
                "offsets_for_times",
                "partitions_for_topic",
                "poll",
                "position",
                "topics",
            ),
            *_on(
                "kafka.KafkaProducer",
                "abort_transaction",
                "close",
                "commit_transaction",
                "flush",
                "init_transactions",
                "partitions_for",
                "send_offsets_to_transaction",
            ),
            "kafka.producer.future.FutureRecordMetadata.get",
        ),
        KAFKA,
    ),
    # MinIO: every client method is a request, except the local settings and URL signing.
    "minio.Minio.*": MINIO,
    **dict.fromkeys(
        _on(
            "minio.Minio",
            "disable_accelerate_endpoint",
            "disable_dualstack_endpoint",
            "disable_virtual_style_endpoint",
            "enable_accelerate_endpoint",
            "enable_dualstack_endpoint",
            "enable_virtual_style_endpoint",
            "get_presigned_url",
            "presigned_get_object",
            "presigned_post_policy",
            "presigned_put_object",
            "set_app_info",
            "trace_off",
            "trace_on",
        ),
        None,
    ),
}

# Callable -> class of what it returns (see types.RETURN_TYPES).
SERVICE_RETURN_TYPES: dict[str, str] = {
    # AWS.
    **dict.fromkeys(
        ("boto3.client", "boto3.session.Session.client", "botocore.session.Session.create_client"),
        "botocore.client.BaseClient",
    ),
    **dict.fromkeys(
        (
            "boto3.resource",
            "boto3.session.Session.resource",
            *_on("boto3.resources.base.ServiceResource", *BOTO3_FACTORIES),
        ),
        "boto3.resources.base.ServiceResource",
    ),
    "boto3.resources.base.ServiceResource.batch_writer": "boto3.dynamodb.table.BatchWriter",
    "botocore.client.BaseClient.get_paginator": "botocore.paginate.Paginator",
    "botocore.client.BaseClient.get_waiter": "botocore.waiter.Waiter",
    "botocore.paginate.Paginator.paginate": "botocore.paginate.PageIterator",
    "botocore.session.get_session": "botocore.session.Session",
    # Google Cloud Storage.
    **dict.fromkeys(
        _on("google.cloud.storage.Bucket", "blob", "copy_blob", "get_blob", "rename_blob"),
        "google.cloud.storage.Blob",
    ),
    **dict.fromkeys(
        _on(
            "google.cloud.storage.Client", "bucket", "create_bucket", "get_bucket", "lookup_bucket"
        ),
        "google.cloud.storage.Bucket",
    ),
    # BigQuery.
    f"{BIGQUERY_CLIENT}.query": "google.cloud.bigquery.QueryJob",
    **dict.fromkeys(
        (
            f"{BIGQUERY_CLIENT}.list_rows",
            f"{BIGQUERY_CLIENT}.query_and_wait",
            "google.cloud.bigquery.QueryJob.result",
        ),
        "google.cloud.bigquery.table.RowIterator",
    ),
    # Firestore (firebase_admin.firestore.client() is a google.cloud.firestore.Client).
    "firebase_admin.firestore.client": f"{FIRESTORE}.Client",
    **dict.fromkeys(
        (f"{FIRESTORE}.Client.collection", f"{FIRESTORE}.DocumentReference.collection"),
        f"{FIRESTORE}.CollectionReference",
    ),
    **dict.fromkeys(
        (f"{FIRESTORE}.Client.document", f"{FIRESTORE}.CollectionReference.document"),
        f"{FIRESTORE}.DocumentReference",
    ),
    f"{FIRESTORE}.Client.batch": f"{FIRESTORE}.WriteBatch",
    f"{FIRESTORE}.Client.collection_group": f"{FIRESTORE}.CollectionGroup",
    f"{FIRESTORE}.Client.transaction": f"{FIRESTORE}.Transaction",
    **dict.fromkeys(
        (
            *_on(f"{FIRESTORE}.CollectionReference", *FIRESTORE_QUERY_BUILDERS),
            *_on(f"{FIRESTORE}.Query", *FIRESTORE_QUERY_BUILDERS),
        ),
        f"{FIRESTORE}.Query",
    ),
    **dict.fromkeys(
        (
            *_on(f"{FIRESTORE}.CollectionReference", "avg", "count", "sum"),
            *_on(f"{FIRESTORE}.Query", "avg", "count", "sum"),
        ),
        "google.cloud.firestore_v1.aggregation.AggregationQuery",
    ),
    **dict.fromkeys(
        (f"{FIRESTORE}.CollectionReference.find_nearest", f"{FIRESTORE}.Query.find_nearest"),
        "google.cloud.firestore_v1.vector_query.VectorQuery",
    ),
    # Pub/Sub futures (concurrent.futures.Future subclasses: result() waits).
    f"{PUBSUB}.PublisherClient.publish": f"{PUBSUB}.publisher.futures.Future",
    f"{PUBSUB}.SubscriberClient.subscribe": f"{PUBSUB}.subscriber.futures.StreamingPullFuture",
    # Azure Blob Storage and Cosmos DB.
    **dict.fromkeys(
        (f"{BLOB}.BlobServiceClient.from_connection_string",), f"{BLOB}.BlobServiceClient"
    ),
    **dict.fromkeys(
        (
            f"{BLOB}.BlobServiceClient.get_container_client",
            f"{BLOB}.ContainerClient.from_connection_string",
            f"{BLOB}.ContainerClient.from_container_url",
        ),
        f"{BLOB}.ContainerClient",
    ),
    **dict.fromkeys(
        (
            f"{BLOB}.BlobClient.from_blob_url",
            f"{BLOB}.BlobClient.from_connection_string",
            f"{BLOB}.BlobServiceClient.get_blob_client",
            f"{BLOB}.ContainerClient.get_blob_client",
        ),
        f"{BLOB}.BlobClient",
    ),
    **dict.fromkeys(
        (f"{BLOB}.BlobClient.download_blob", f"{BLOB}.ContainerClient.download_blob"),
        f"{BLOB}.StorageStreamDownloader",
    ),
    # The provider is a closure; each call fetches a token through the credential it holds.
    "azure.identity.get_bearer_token_provider": "azure.identity.BearerTokenProvider",
    f"{COSMOS}.CosmosClient.from_connection_string": f"{COSMOS}.CosmosClient",
    **dict.fromkeys(
        _on(
            f"{COSMOS}.CosmosClient",
            "create_database",
            "create_database_if_not_exists",
            "get_database_client",
        ),
        f"{COSMOS}.DatabaseProxy",
    ),
    **dict.fromkeys(
        _on(
            f"{COSMOS}.DatabaseProxy",
            "create_container",
            "create_container_if_not_exists",
            "get_container_client",
        ),
        f"{COSMOS}.ContainerProxy",
    ),
    # Docker.
    **dict.fromkeys(("docker.DockerClient.from_env", "docker.from_env"), "docker.DockerClient"),
    **dict.fromkeys(
        _on("docker.models.resource.Collection", "create", "get", "run"),
        "docker.models.resource.Model",
    ),
    # SSH and brokers.
    "paramiko.SFTPClient.from_transport": "paramiko.SFTPClient",
    "paramiko.SSHClient.get_transport": "paramiko.Transport",
    "paramiko.SSHClient.open_sftp": "paramiko.SFTPClient",
    "paramiko.Transport.open_sftp_client": "paramiko.SFTPClient",
    "pika.BlockingConnection.channel": "pika.adapters.blocking_connection.BlockingChannel",
    "kafka.KafkaProducer.send": "kafka.producer.future.FutureRecordMetadata",
    # Stripe: create/retrieve/modify give the resource; list/search a page of them.
    **{
        f"stripe.{resource}.{method}": f"stripe.{resource}"
        for resource, methods in STRIPE_RESOURCES.items()
        for method in methods.split()
        if method in ("create", "modify", "retrieve")
    },
    **{
        f"stripe.{resource}.{method}": (
            "stripe.ListObject" if method == "list" else "stripe.SearchResultObject"
        )
        for resource, methods in STRIPE_RESOURCES.items()
        for method in methods.split()
        if method in ("list", "search")
    },
}

# "Class.*" or "Class.attr" -> class of the attribute (see types.ATTRIBUTE_TYPES).
SERVICE_ATTRIBUTE_TYPES: dict[str, str] = {
    **{
        f"boto3.resources.base.ServiceResource.{name}": (
            "boto3.resources.collection.CollectionManager"
        )
        for name in BOTO3_COLLECTIONS
    },
    f"{FIRESTORE}.DocumentReference.parent": f"{FIRESTORE}.CollectionReference",
    "kubernetes.dynamic.DynamicClient.resources": "kubernetes.dynamic.LazyDiscoverer",
    "slack_bolt.App.client": "slack_sdk.WebClient",
    # client.customers, client.v1.customers, client.checkout.sessions, ...
    "stripe.StripeClient.*": STRIPE_SERVICE,
    f"{STRIPE_SERVICE}.*": STRIPE_SERVICE,
    # client.containers, client.images, ...; client.api is the low-level client.
    "docker.DockerClient.*": "docker.models.resource.Collection",
    "docker.DockerClient.api": "docker.APIClient",
    "docker.DockerClient.swarm": "docker.models.resource.Model",
    "ldap3.Connection.extend": "ldap3.extend.ExtendedOperationsRoot",
    "ldap3.extend.ExtendedOperationsRoot.microsoft": "ldap3.extend.MicrosoftExtendedOperations",
    "ldap3.extend.ExtendedOperationsRoot.novell": "ldap3.extend.NovellExtendedOperations",
    "ldap3.extend.ExtendedOperationsRoot.standard": "ldap3.extend.StandardExtendedOperations",
}

# Third-party base classes (see types.CLASS_BASES).
SERVICE_CLASS_BASES: dict[str, tuple[str, ...]] = {
    **{
        f"{package}_{service}.{client}": ("botocore.client.BaseClient",)
        for package in BOTO3_STUB_PACKAGES
        for service, client in BOTO3_STUB_CLIENTS.items()
    },
    **{
        name: ("boto3.resources.base.ServiceResource",)
        for package in BOTO3_STUB_PACKAGES
        for service, (service_resource, resources) in BOTO3_STUB_RESOURCES.items()
        for name in (
            f"{package}_{service}.{service_resource}",
            *(f"{package}_{service}.service_resource.{resource}" for resource in resources),
        )
    },
    f"{FIRESTORE}.CollectionGroup": (f"{FIRESTORE}.Query",),
    **dict.fromkeys(
        (f"{PUBSUB}.publisher.futures.Future", f"{PUBSUB}.subscriber.futures.StreamingPullFuture"),
        ("concurrent.futures.Future",),
    ),
}

# Re-export and implementation paths -> the names used above (see types.CANONICAL_NAMES).
SERVICE_CANONICAL_NAMES: dict[str, str] = {
    # AWS.
    "boto3.Session": "boto3.session.Session",
    **{
        f"{package}_{service}.client.{client}": f"{package}_{service}.{client}"
        for package in BOTO3_STUB_PACKAGES
        for service, client in BOTO3_STUB_CLIENTS.items()
    },
    **{
        f"{package}_{service}.service_resource.{service_resource}": (
            f"{package}_{service}.{service_resource}"
        )
        for package in BOTO3_STUB_PACKAGES
        for service, (service_resource, _) in BOTO3_STUB_RESOURCES.items()
    },
    # Google Cloud.
    "google.cloud.storage.blob.Blob": "google.cloud.storage.Blob",
    "google.cloud.storage.bucket.Bucket": "google.cloud.storage.Bucket",
    "google.cloud.storage.client.Client": "google.cloud.storage.Client",
    "google.cloud.bigquery.client.Client": BIGQUERY_CLIENT,
    "google.cloud.bigquery.job.QueryJob": "google.cloud.bigquery.QueryJob",
    "google.cloud.bigquery.job.query.QueryJob": "google.cloud.bigquery.QueryJob",
    **{
        f"google.cloud.firestore_v1{module}.{name}": f"{FIRESTORE}.{name}"
        for module, names in (
            ("", ("Client", "CollectionGroup", "CollectionReference", "DocumentReference")),
            ("", ("Query", "Transaction", "WriteBatch")),
            (".batch", ("WriteBatch",)),
            (".client", ("Client",)),
            (".collection", ("CollectionReference",)),
            (".document", ("DocumentReference",)),
            (".query", ("CollectionGroup", "Query")),
            (".transaction", ("Transaction",)),
        )
        for name in names
    },
    **{
        f"google.cloud.{module}": f"{PUBSUB}.{name}"
        for module, name in (
            ("pubsub.PublisherClient", "PublisherClient"),
            ("pubsub.SubscriberClient", "SubscriberClient"),
            ("pubsub_v1.publisher.Client", "PublisherClient"),
            ("pubsub_v1.publisher.client.Client", "PublisherClient"),
            ("pubsub_v1.subscriber.Client", "SubscriberClient"),
            ("pubsub_v1.subscriber.client.Client", "SubscriberClient"),
        )
    },
    **dict.fromkeys(
        (
            "google.cloud.secretmanager_v1.SecretManagerServiceClient",
            "google.cloud.secretmanager_v1.services.secret_manager_service.SecretManagerServiceClient",
            "google.cloud.secretmanager_v1.services.secret_manager_service.client."
            "SecretManagerServiceClient",
        ),
        SECRET_MANAGER,
    ),
    # Azure.
    f"{BLOB}._blob_client.BlobClient": f"{BLOB}.BlobClient",
    f"{BLOB}._blob_service_client.BlobServiceClient": f"{BLOB}.BlobServiceClient",
    f"{BLOB}._container_client.ContainerClient": f"{BLOB}.ContainerClient",
    f"{BLOB}._download.StorageStreamDownloader": f"{BLOB}.StorageStreamDownloader",
    f"{COSMOS}.container.ContainerProxy": f"{COSMOS}.ContainerProxy",
    f"{COSMOS}.cosmos_client.CosmosClient": f"{COSMOS}.CosmosClient",
    f"{COSMOS}.database.DatabaseProxy": f"{COSMOS}.DatabaseProxy",
    "azure.keyvault.secrets._client.SecretClient": "azure.keyvault.secrets.SecretClient",
    # Kubernetes.
    **{
        f"{module}.{name}": f"kubernetes.client.{name}"
        for name in KUBERNETES_API_CLASSES
        for module in ("kubernetes.client.api", kubernetes_api_module(name))
    },
    "kubernetes.client.api_client.ApiClient": "kubernetes.client.ApiClient",
    "kubernetes.config.incluster_config.load_incluster_config": (
        "kubernetes.config.load_incluster_config"
    ),
    **{
        f"kubernetes.config.kube_config.{name}": f"kubernetes.config.{name}"
        for name in (
            "list_kube_config_contexts",
            "load_kube_config",
            "load_kube_config_from_dict",
            "new_client_from_config",
            "new_client_from_config_dict",
        )
    },
    "kubernetes.dynamic.client.DynamicClient": "kubernetes.dynamic.DynamicClient",
    "kubernetes.dynamic.discovery.LazyDiscoverer": "kubernetes.dynamic.LazyDiscoverer",
    "kubernetes.stream.stream.portforward": "kubernetes.stream.portforward",
    "kubernetes.stream.stream.stream": "kubernetes.stream.stream",
    "kubernetes.watch.watch.Watch": "kubernetes.watch.Watch",
    # JWKS, Slack, Stripe.
    "jwt.jwks_client.PyJWKClient": "jwt.PyJWKClient",
    "slack_bolt.app.App": "slack_bolt.App",
    "slack_bolt.app.app.App": "slack_bolt.App",
    "slack_sdk.web.WebClient": "slack_sdk.WebClient",
    "slack_sdk.web.client.WebClient": "slack_sdk.WebClient",
    "slack_sdk.webhook.client.WebhookClient": "slack_sdk.webhook.WebhookClient",
    "stripe._list_object.ListObject": "stripe.ListObject",
    "stripe._search_result_object.SearchResultObject": "stripe.SearchResultObject",
    "stripe._stripe_client.StripeClient": "stripe.StripeClient",
    # Docker, SSH, LDAP, brokers, object stores.
    "docker.api.APIClient": "docker.APIClient",
    "docker.api.client.APIClient": "docker.APIClient",
    "docker.client.DockerClient": "docker.DockerClient",
    "docker.client.from_env": "docker.from_env",
    "paramiko.SFTP": "paramiko.SFTPClient",
    "paramiko.client.SSHClient": "paramiko.SSHClient",
    "paramiko.sftp_client.SFTP": "paramiko.SFTPClient",
    "paramiko.sftp_client.SFTPClient": "paramiko.SFTPClient",
    "paramiko.transport.Transport": "paramiko.Transport",
    "ldap3.core.connection.Connection": "ldap3.Connection",
    "pika.adapters.BlockingConnection": "pika.BlockingConnection",
    "pika.adapters.blocking_connection.BlockingConnection": "pika.BlockingConnection",
    "kafka.admin.KafkaAdminClient": "kafka.KafkaAdminClient",
    "kafka.admin.client.KafkaAdminClient": "kafka.KafkaAdminClient",
    "kafka.consumer.KafkaConsumer": "kafka.KafkaConsumer",
    "kafka.consumer.group.KafkaConsumer": "kafka.KafkaConsumer",
    "kafka.producer.KafkaProducer": "kafka.KafkaProducer",
    "kafka.producer.kafka.KafkaProducer": "kafka.KafkaProducer",
    "minio.api.Minio": "minio.Minio",
}
