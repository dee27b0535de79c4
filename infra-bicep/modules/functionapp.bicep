// The Function App on the Flex Consumption plan: .NET 10 isolated worker, system-assigned identity, deployment
// packages in a blob container read with that identity. Every app setting comes from main.bicep; secret ones are Key
// Vault references, so this module holds no secret.

@description('Azure region.')
param location string

@description('Name of the Function App (globally unique: NAME.azurewebsites.net); the plan is NAME-plan.')
@minLength(2)
@maxLength(55)
param name string

@description('URL of the deployment container (storage.bicep).')
param deploymentContainerUrl string

@description('Most instances the app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

@description('Memory of one instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('App settings: name to value (Key Vault references for secrets).')
param appSettings object

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: '${name}-plan'
  location: location
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true // Linux
  }
}

resource site 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: 'SystemAssigned'
    siteConfig: {
      minTlsVersion: '1.2'
      appSettings: [
        for setting in items(appSettings): {
          name: setting.key
          value: setting.value
        }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'SystemAssignedIdentity'
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      // Flex Consumption takes the worker runtime from here; FUNCTIONS_WORKER_RUNTIME is not an app setting there.
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

@description('Name of the Function App.')
output name string = site.name

@description('Principal id of the system-assigned identity.')
output principalId string = site.identity.principalId

@description('Default host name, e.g. NAME.azurewebsites.net.')
output defaultHostName string = site.properties.defaultHostName
