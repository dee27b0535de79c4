// Event Hubs namespace (Standard: the Kafka endpoint on port 9093) with the event hub that is the CDC topic. Kafka
// clients sign in with SASL PLAIN, user $ConnectionString and a connection string as password: the authorization
// rule's, written into Key Vault. Kafka consumer groups (Kafka:ConsumerGroup) are created by the Kafka protocol on
// first use; they are not Event Hubs consumer group resources.

@description('Azure region.')
param location string

@description('Name prefix of the resources.')
@minLength(3)
param prefix string

@description('Suffix that makes the names unique (uniqueString of the resource group).')
param suffix string

@description('The event hub, i.e. the Kafka topic (Kafka:Topic).')
param topicName string

@description('Partitions of the topic: the most stream consumers that get events at once.')
@minValue(1)
@maxValue(32)
param partitionCount int

@description('Throughput units of the namespace.')
@minValue(1)
@maxValue(40)
param capacity int

@description('Hours the topic keeps events (Standard: up to 168).')
@minValue(1)
@maxValue(168)
param retentionHours int

@description('Key Vault that receives the connection string secret.')
param keyVaultName string

@description('Name of the connection string secret.')
param connectionStringSecretName string

resource namespace 'Microsoft.EventHub/namespaces@2026-01-01' = {
  name: '${prefix}-evh-${suffix}'
  location: location
  sku: {
    name: 'Standard'
    tier: 'Standard'
    capacity: capacity
  }
  properties: {
    minimumTlsVersion: '1.2'
    disableLocalAuth: false // the Kafka trigger signs in with a connection string (SASL PLAIN)
    publicNetworkAccess: 'Enabled'
  }
}

resource topic 'Microsoft.EventHub/namespaces/eventhubs@2026-01-01' = {
  parent: namespace
  name: topicName
  properties: {
    partitionCount: partitionCount
    retentionDescription: {
      cleanupPolicy: 'Delete'
      retentionTimeInHours: retentionHours
    }
  }
}

// Listen for the stream function, Send for the relay; scoped to the topic so the secret reaches nothing else.
resource appRule 'Microsoft.EventHub/namespaces/eventhubs/authorizationRules@2026-01-01' = {
  parent: topic
  name: 'toxic-app'
  properties: {
    rights: [
      'Listen'
      'Send'
    ]
  }
}

resource vault 'Microsoft.KeyVault/vaults@2026-02-01' existing = {
  name: keyVaultName
}

resource connectionString 'Microsoft.KeyVault/vaults/secrets@2026-02-01' = {
  parent: vault
  name: connectionStringSecretName
  properties: {
    value: appRule.listKeys().primaryConnectionString
    contentType: 'Event Hubs connection string (Kafka SASL PLAIN password)'
  }
}

@description('Kafka bootstrap server of the namespace: its host (from serviceBusEndpoint, which names the cloud) on 9093.')
output bootstrapServers string = '${split(split(split(namespace.properties.serviceBusEndpoint, '//')[1], '/')[0], ':')[0]}:9093'

@description('URI of the connection string secret (latest version).')
output connectionStringSecretUri string = connectionString.properties.secretUri
