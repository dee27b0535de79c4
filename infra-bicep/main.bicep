// ToxicFunctions on Azure: the Function App (Flex Consumption, .NET 10 isolated) with its storage, PostgreSQL flexible
// server (logical WAL for change data capture), Kafka (an Event Hubs namespace, or an external cluster), Key Vault for
// the secret settings, and Application Insights on a Log Analytics workspace. Deploy into a resource group:
//   az deployment group create -g RG -f infra-bicep/main.bicep -p infra-bicep/main.bicepparam
// App settings: every setting the app reads (local.settings.sample.json; BicepTemplateTests checks the coverage).

targetScope = 'resourceGroup'

@description('Azure region of every resource (default: the resource group\'s).')
param location string = resourceGroup().location

@description('Name prefix: 3 to 8 lower-case letters or digits, starting with a letter.')
@minLength(3)
@maxLength(8)
param prefix string = 'toxic'

// PostgreSQL

@description('Administrator login of the PostgreSQL server; the app connects as this role.')
param postgresAdministratorLogin string

@description('Administrator password of the PostgreSQL server (stored in Key Vault inside the app\'s connection string).')
@secure()
@minLength(12)
param postgresAdministratorPassword string

@description('PostgreSQL major version (the app is tested on 15).')
@allowed([
  '15'
  '16'
  '17'
])
param postgresVersion string = '15'

@description('PostgreSQL compute SKU.')
param postgresSkuName string = 'Standard_B2s'

@description('Tier of postgresSkuName.')
@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
param postgresSkuTier string = 'Burstable'

@description('PostgreSQL storage in GiB.')
param postgresStorageSizeGB int = 32

// Kafka

@description('true: an Event Hubs namespace (Standard, Kafka endpoint) holds the CDC topic; false: an external Kafka cluster (the externalKafka* parameters).')
param useEventHubs bool = true

@description('The CDC topic (Kafka:Topic): Debezium\'s <topic.prefix>.source.comments.')
param kafkaTopic string = 'toxic.source.comments'

@description('Consumer group of the stream function (Kafka:ConsumerGroup).')
param kafkaConsumerGroup string = 'toxic-staging'

@description('Event Hubs: partitions of the CDC topic.')
@minValue(1)
@maxValue(32)
param eventHubsPartitions int = 3

@description('Event Hubs: throughput units.')
@minValue(1)
@maxValue(40)
param eventHubsCapacity int = 1

@description('Event Hubs: hours the topic keeps events.')
@minValue(1)
@maxValue(168)
param eventHubsRetentionHours int = 168

@description('External Kafka: bootstrap servers, host:port[,host:port].')
param externalKafkaBootstrapServers string = ''

@description('External Kafka: security protocol (Kafka:Protocol); Confluent Cloud: SaslSsl.')
@allowed([
  'NotSet'
  'Plaintext'
  'Ssl'
  'SaslPlaintext'
  'SaslSsl'
])
param externalKafkaProtocol string = 'SaslSsl'

@description('External Kafka: SASL mechanism (Kafka:AuthenticationMode); Confluent Cloud: Plain.')
@allowed([
  'NotSet'
  'Plain'
  'ScramSha256'
  'ScramSha512'
])
param externalKafkaAuthenticationMode string = 'Plain'

@description('External Kafka: SASL user name (Confluent Cloud: the API key).')
param externalKafkaUsername string = ''

@description('External Kafka: SASL password (Confluent Cloud: the API secret); stored in Key Vault.')
@secure()
param externalKafkaPassword string = ''

@description('The relay producer\'s compression (Cdc:CompressionType). gzip: a codec Event Hubs\' Kafka endpoint accepts.')
@allowed([
  'none'
  'gzip'
  'snappy'
  'lz4'
  'zstd'
])
param cdcCompressionType string = 'gzip'

@description('An OpenTelemetry collector\'s OTLP endpoint besides Application Insights (empty: none).')
param otlpEndpoint string = ''

@description('Port of the worker\'s own Prometheus scrape endpoint (0: none; in Azure, metrics go to Application Insights).')
@minValue(0)
@maxValue(65535)
param prometheusPort int = 0

// S3-compatible object store, optional in Azure: raw CSV files announced by S3 events (POST /api/s3/events), and with
// artifactStorageProvider S3 the validation reports, snapshots and models (S3:*, Pipeline:ArtifactsBucket). Azure has
// no S3 endpoint, so these name an external store; with no keys the app uses none (the S3 client is only created when
// used, with the AWS default credentials).

@description('S3 endpoint; empty for AWS S3 itself.')
param s3ServiceUrl string = ''

@description('S3 signing region.')
param s3Region string = 'us-east-1'

@description('S3 path-style addressing (MinIO, radosgw: true; AWS S3: false).')
param s3ForcePathStyle bool = false

@description('S3 access key (stored in Key Vault); empty: no S3 keys.')
@secure()
param s3AccessKey string = ''

@description('S3 secret key (stored in Key Vault); empty with s3AccessKey.')
@secure()
param s3SecretKey string = ''

@description('Bucket where raw CSV files land (S3:RawBucket).')
param s3RawBucket string = 'raw'

@description('Bucket of the validation reports (S3:ReportsBucket).')
param s3ReportsBucket string = 'reports'

@description('Bucket of snapshots and model directories (Pipeline:ArtifactsBucket); a blob container with Blob.')
param artifactsBucket string = 'toxic-ml'

@description('Store of artifacts, snapshots and validation reports (Storage:Provider): Blob, the app\'s storage account through its identity, or S3 (s3ServiceUrl).')
@allowed([
  'Blob'
  'S3'
])
param artifactStorageProvider string = 'Blob'

// Function App

@description('Most instances of the Function App.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory of one instance in MB (training and scoring load ONNX models: 4096 recommended).')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 4096

@description('true after the app is published with -p:BlobTriggerSource=EventGrid (the only blob trigger source of Flex Consumption): subscribes the raw container\'s BlobCreated events to its blob trigger (modules/rawblobevents.bicep).')
param subscribeRawBlobEvents bool = false

// The CDC relay (`toxic cdc-relay`), a long-running process: a Container App when an image is given.

@description('Image of the CDC relay (tools/Toxic.Cli/Dockerfile) to run as a Container App; empty: none here (run it elsewhere, or Debezium).')
param cdcRelayImage string = ''

@description('Registry server of a private cdcRelayImage (empty: a public image).')
param cdcRelayRegistryServer string = ''

@description('User name for cdcRelayRegistryServer.')
param cdcRelayRegistryUsername string = ''

@description('Password for cdcRelayRegistryServer.')
@secure()
param cdcRelayRegistryPassword string = ''

@description('Days Log Analytics keeps logs.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

var suffix = uniqueString(resourceGroup().id)
var appInsightsName = '${prefix}-appi-${suffix}'
var workspaceName = '${prefix}-log-${suffix}'
var storageAccountName = take(toLower('${prefix}st${suffix}'), 24) // lower-case letters and digits only
var keyVaultName = take('${prefix}-kv-${suffix}', 24)
var functionAppName = '${prefix}-func-${suffix}'
var rawContainerName = 'raw'
var useS3Keys = !empty(s3AccessKey)
var secretNames = {
  postgres: 'postgres-connection-string'
  kafka: 'kafka-password'
  s3AccessKey: 's3-access-key'
  s3SecretKey: 's3-secret-key'
}

@description('An app setting value that Key Vault resolves with the app\'s identity.')
func keyVaultReference(secretUri string) string => '@Microsoft.KeyVault(SecretUri=${secretUri})'

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    workspaceName: workspaceName
    appInsightsName: appInsightsName
    retentionInDays: logRetentionInDays
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    name: storageAccountName
    rawContainerName: rawContainerName
    deploymentContainerName: 'deployments'
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyVault'
  params: {
    location: location
    name: keyVaultName
    secrets: union(
      useS3Keys
        ? {
            '${secretNames.s3AccessKey}': s3AccessKey
            '${secretNames.s3SecretKey}': s3SecretKey
          }
        : {},
      useEventHubs || !kafkaHasPassword ? {} : { '${secretNames.kafka}': externalKafkaPassword }
    )
  }
}

module postgres 'modules/postgres.bicep' = {
  name: 'postgres'
  params: {
    location: location
    prefix: prefix
    suffix: suffix
    administratorLogin: postgresAdministratorLogin
    administratorPassword: postgresAdministratorPassword
    databaseName: 'toxic'
    version: postgresVersion
    skuName: postgresSkuName
    skuTier: postgresSkuTier
    storageSizeGB: postgresStorageSizeGB
    keyVaultName: keyVaultName
    connectionStringSecretName: secretNames.postgres
  }
  dependsOn: [
    keyVault // writes its secret there
  ]
}

module eventHubs 'modules/eventhubs.bicep' = if (useEventHubs) {
  name: 'eventHubs'
  params: {
    location: location
    prefix: prefix
    suffix: suffix
    topicName: kafkaTopic
    partitionCount: eventHubsPartitions
    capacity: eventHubsCapacity
    retentionHours: eventHubsRetentionHours
    keyVaultName: keyVaultName
    connectionStringSecretName: secretNames.kafka
  }
  dependsOn: [
    keyVault // writes its secret there
  ]
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

// An external cluster without SASL has no password: no secret, an empty setting (which the app requires then).
var kafkaHasPassword = useEventHubs || externalKafkaAuthenticationMode != 'NotSet'
var kafkaBootstrapServers = useEventHubs ? eventHubs!.outputs.bootstrapServers : externalKafkaBootstrapServers
var kafkaPasswordSecretUri = useEventHubs
  ? eventHubs!.outputs.connectionStringSecretUri
  : '${keyVault.outputs.uri}secrets/${secretNames.kafka}'

// Every setting the app reads in Azure, under the keys of local.settings.sample.json (BicepTemplateTests); the CDC
// relay reads the same.
var appSettings = {
  // Host storage through the app's identity: AzureWebJobsStorage's identity-based form.
  AzureWebJobsStorage__accountName: storage.outputs.name
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
  AzureFunctionsWebHost__hostid: 'toxicfunctions'
  DurableTaskHubName: 'ToxicFunctions'
  Postgres__ConnectionString: keyVaultReference(postgres.outputs.connectionStringSecretUri)
  Postgres__MigrateOnStartup: 'true'
  S3__ServiceUrl: s3ServiceUrl
  S3__Region: s3Region
  S3__AccessKey: useS3Keys ? keyVaultReference('${keyVault.outputs.uri}secrets/${secretNames.s3AccessKey}') : ''
  S3__SecretKey: useS3Keys ? keyVaultReference('${keyVault.outputs.uri}secrets/${secretNames.s3SecretKey}') : ''
  S3__ForcePathStyle: string(s3ForcePathStyle)
  S3__RawBucket: s3RawBucket
  S3__ReportsBucket: s3ReportsBucket
  // The blob trigger's connection through the app's identity: blobs, and the queue of its blob receipts.
  RawStorage__blobServiceUri: storage.outputs.blobEndpoint
  RawStorage__queueServiceUri: storage.outputs.queueEndpoint
  RawBlobContainer: rawContainerName
  // Artifacts, snapshots and validation reports in the app's storage account, through its identity (Storage Blob
  // Data Owner): containers artifactsBucket and s3ReportsBucket.
  Storage__Provider: artifactStorageProvider
  ArtifactStorage__blobServiceUri: storage.outputs.blobEndpoint
  Ingest__BatchSize: '256'
  Ingest__MaxDegreeOfParallelism: '0'
  Ingest__MaxRecordChars: '1048576'
  Ingest__RejectedFlushCount: '1000'
  // The raw zone's Delta table in the app's storage account (ArtifactStorage), container lake.
  Lake__TableUri: '${storage.outputs.blobEndpoint}lake/raw_comments'
  Kafka__BootstrapServers: kafkaBootstrapServers
  Kafka__Topic: kafkaTopic
  Kafka__ConsumerGroup: kafkaConsumerGroup
  Kafka__MaxBatchSize: '1000'
  // Event Hubs: SASL PLAIN over TLS, user $ConnectionString, the connection string as password.
  Kafka__Protocol: useEventHubs ? 'SaslSsl' : externalKafkaProtocol
  Kafka__AuthenticationMode: useEventHubs ? 'Plain' : externalKafkaAuthenticationMode
  Kafka__Username: useEventHubs ? '$ConnectionString' : externalKafkaUsername
  Kafka__Password: kafkaHasPassword ? keyVaultReference(kafkaPasswordSecretUri) : ''
  Kafka__SslCaLocation: '' // the system's CA store
  Cdc__SlotName: 'toxic_cdc_relay'
  Cdc__Publication: 'toxic_source_comments'
  Cdc__TopicPrefix: 'toxic'
  Cdc__IncludeSchema: 'false'
  Cdc__StatusInterval: '00:00:01'
  Cdc__CompressionType: cdcCompressionType
  Cdc__UnavailableValuePlaceholder: '__debezium_unavailable_value'
  Pipeline__Schedule: '0 0 2 * * *'
  Pipeline__ArtifactsBucket: artifactsBucket
  Pipeline__ModelName: 'toxic-comments'
  Pipeline__Experiment: 'toxic-comments'
  Pipeline__TestFraction: '0.2'
  Pipeline__SplitSeed: '42'
  Pipeline__EncodingSchedule: '*/5 * * * * *'
  Pipeline__EncodingBatchSize: '1000'
  Pipeline__EncoderThreads: '0'
  Scoring__Threshold: ''
  Scoring__MaxBatchTexts: '256'
  Scoring__MaxBatchWait: '00:00:00.001'
  Scoring__MaxConcurrentBatches: '0'
  Scoring__ChampionRecheckInterval: '00:00:05'
  Telemetry__SampleInterval: '00:00:15'
  Telemetry__Tracing: 'false' // traces are recorded anyway: APPLICATIONINSIGHTS_CONNECTION_STRING is set
  Telemetry__PrometheusPort: string(prometheusPort)
  OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionApp'
  params: {
    location: location
    name: functionAppName
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    appSettings: appSettings
  }
  dependsOn: [
    monitoring // appInsights is read through an existing reference
  ]
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  params: {
    functionAppName: functionAppName
    storageAccountName: storageAccountName
    keyVaultName: keyVaultName
  }
  dependsOn: [
    functionApp
    storage
    keyVault
  ]
}

// After the publish (-p:BlobTriggerSource=EventGrid), a second run with subscribeRawBlobEvents = true: new raw blobs
// reach IngestRawBlob through Event Grid (README, Deploy to Azure).
module rawBlobEvents 'modules/rawblobevents.bicep' = if (subscribeRawBlobEvents) {
  name: 'rawBlobEvents'
  params: {
    location: location
    storageAccountName: storageAccountName
    rawContainerName: rawContainerName
    deadLetterContainerName: 'raw-events-deadletters'
    functionAppName: functionAppName
    functionName: 'IngestRawBlob'
  }
  dependsOn: [
    storage
    functionApp
  ]
}

module cdcRelay 'modules/cdcrelay.bicep' = if (!empty(cdcRelayImage)) {
  name: 'cdcRelay'
  params: {
    location: location
    name: '${prefix}-cdc-relay'
    image: cdcRelayImage
    registryServer: cdcRelayRegistryServer
    registryUsername: cdcRelayRegistryUsername
    registryPassword: cdcRelayRegistryPassword
    logAnalyticsWorkspaceName: workspaceName
    keyVaultName: keyVaultName
    settings: appSettings
    // The relay's secrets: the database and, with SASL, the Kafka password (the app's S3 keys are not its concern).
    keyVaultSettings: union(
      { Postgres__ConnectionString: postgres.outputs.connectionStringSecretUri },
      kafkaHasPassword ? { Kafka__Password: kafkaPasswordSecretUri } : {}
    )
  }
  dependsOn: [
    monitoring // the workspace
  ]
}

@description('Name of the Function App (func azure functionapp publish NAME).')
output functionAppName string = functionApp.outputs.name

@description('Base URL of the Function App.')
output functionAppUrl string = 'https://${functionApp.outputs.defaultHostName}'

@description('PostgreSQL server host name.')
output postgresFqdn string = postgres.outputs.fqdn

@description('PostgreSQL server name (az postgres flexible-server restart -n NAME).')
output postgresServerName string = postgres.outputs.serverName

@description('Kafka bootstrap servers (Event Hubs: NAMESPACE.servicebus.windows.net:9093).')
output kafkaBootstrapServers string = kafkaBootstrapServers

@description('Key Vault URI.')
output keyVaultUri string = keyVault.outputs.uri

@description('Blob endpoint of the app\'s storage account (raw container: RawBlobContainer).')
output storageBlobEndpoint string = storage.outputs.blobEndpoint

@description('Name of the CDC relay\'s container app (empty: no cdcRelayImage).')
output cdcRelayName string = empty(cdcRelayImage) ? '' : cdcRelay!.outputs.name

@description('Application Insights resource (logs and metrics; its workspace keeps them).')
output appInsightsId string = monitoring.outputs.appInsightsId
