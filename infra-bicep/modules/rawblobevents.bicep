// Event Grid delivery of the raw container's new blobs to the Function App's blob trigger, the trigger source the Flex
// Consumption plan supports (the app published with -p:BlobTriggerSource=EventGrid). The subscription's endpoint is the
// Functions host's blobs webhook with its blobs_extension system key; that key exists, and Event Grid's validation
// handshake succeeds, only once the app is published, so main.bicep deploys this module on its run with
// subscribeRawBlobEvents = true, after the publish (README, Deploy to Azure). Events that cannot be delivered within
// the retry policy are dead-lettered into a container of the same account, through the system topic's identity.

@description('Azure region.')
param location string

@description('The storage account of the raw container.')
param storageAccountName string

@description('The raw container (setting RawBlobContainer).')
param rawContainerName string

@description('Container where undeliverable events are kept (dead letters).')
param deadLetterContainerName string

@description('The Function App.')
param functionAppName string

@description('The blob-triggered function (functions/Ingestion/IngestRawBlob.cs).')
param functionName string

var blobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe' // Storage Blob Data Contributor: writes dead letters

resource account 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-01-01' existing = {
  parent: account
  name: 'default'
}

resource deadLetters 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = {
  parent: blobService
  name: deadLetterContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource site 'Microsoft.Web/sites@2025-03-01' existing = {
  name: functionAppName
}

// The host's keys (Microsoft.Web/sites/host has no resource type in Bicep's type index, so listKeys by id).
var blobsExtensionKey = listKeys('${site.id}/host/default', '2025-03-01').systemKeys.blobs_extension

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: '${storageAccountName}-blob-events'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    source: account.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

resource deadLetterWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: account
  name: guid(account.id, topic.id, blobDataContributor)
  properties: {
    principalId: topic.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', blobDataContributor)
  }
}

resource subscription 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: topic
  name: '${functionName}-blob-created'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: 'https://${site.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.${functionName}&code=${blobsExtensionKey}'
      }
    }
    filter: {
      includedEventTypes: [
        'Microsoft.Storage.BlobCreated'
      ]
      subjectBeginsWith: '/blobServices/default/containers/${rawContainerName}/'
    }
    eventDeliverySchema: 'EventGridSchema'
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
    deadLetterWithResourceIdentity: {
      identity: {
        type: 'SystemAssigned'
      }
      deadLetterDestination: {
        endpointType: 'StorageBlob'
        properties: {
          resourceId: account.id
          blobContainerName: deadLetters.name
        }
      }
    }
  }
  dependsOn: [
    deadLetterWriter
  ]
}

@description('Name of the Event Grid system topic of the storage account.')
output systemTopicName string = topic.name
