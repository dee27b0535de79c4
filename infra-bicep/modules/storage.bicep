// The Function App's storage account, reached with its managed identity (shared keys are switched off): the host's
// AzureWebJobsStorage (leases, timers, blob receipts, the Durable task hub's queues and tables), the Flex Consumption
// deployment container, and the raw container the blob trigger watches (RawStorage).

@description('Azure region.')
param location string

@description('Name of the account (3 to 24 lower-case letters and digits, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('Container of the raw CSV files (setting RawBlobContainer).')
param rawContainerName string

@description('Container of the Flex Consumption deployment packages.')
param deploymentContainerName string

resource account 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: name
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false // identity only: the app's role assignments (roles.bicep)
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-01-01' = {
  parent: account
  name: 'default'
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = [
  for name in [deploymentContainerName, rawContainerName]: {
    parent: blobService
    name: name
    properties: {
      publicAccess: 'None'
    }
  }
]

@description('Name of the storage account.')
output name string = account.name

@description('Blob endpoint, e.g. https://NAME.blob.core.windows.net/.')
output blobEndpoint string = account.properties.primaryEndpoints.blob

@description('Queue endpoint.')
output queueEndpoint string = account.properties.primaryEndpoints.queue

@description('URL of the deployment container.')
output deploymentContainerUrl string = '${account.properties.primaryEndpoints.blob}${containers[0].name}'
