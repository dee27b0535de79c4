// Parameters of main.bicep. Secrets are read from environment variables at deployment time, never stored here:
//   export TOXIC_POSTGRES_ADMIN_PASSWORD=...
//   (an S3 store only: TOXIC_S3_ACCESS_KEY=... TOXIC_S3_SECRET_KEY=...; external Kafka only: TOXIC_KAFKA_PASSWORD=...;
//   a private relay image only: TOXIC_REGISTRY_PASSWORD=...)
//   az deployment group create -g RG -f infra-bicep/main.bicep -p infra-bicep/main.bicepparam
using 'main.bicep'

param prefix = 'toxic'
param postgresAdministratorLogin = 'toxicadmin'
param postgresAdministratorPassword = readEnvironmentVariable('TOXIC_POSTGRES_ADMIN_PASSWORD')

// Kafka: an Event Hubs namespace. For Confluent Cloud or another cluster: useEventHubs = false and the externalKafka*
// parameters (README, Confluent Cloud).
param useEventHubs = true
param eventHubsPartitions = 3
param externalKafkaPassword = readEnvironmentVariable('TOXIC_KAFKA_PASSWORD', '')

// An S3-compatible store besides Blob (AWS S3 here: empty service URL); without keys, none.
param s3ServiceUrl = ''
param s3Region = 'us-east-1'
param s3ForcePathStyle = false
param s3AccessKey = readEnvironmentVariable('TOXIC_S3_ACCESS_KEY', '')
param s3SecretKey = readEnvironmentVariable('TOXIC_S3_SECRET_KEY', '')

// Second run, after `func azure functionapp publish` of the app built with -p:BlobTriggerSource=EventGrid: Event Grid
// delivers new raw blobs to IngestRawBlob (README, Deploy to Azure).
param subscribeRawBlobEvents = false

// The CDC relay as a Container App: its image (tools/Toxic.Cli/Dockerfile) in a registry; empty: no relay here.
param cdcRelayImage = ''
param cdcRelayRegistryServer = ''
param cdcRelayRegistryUsername = ''
param cdcRelayRegistryPassword = readEnvironmentVariable('TOXIC_REGISTRY_PASSWORD', '')
