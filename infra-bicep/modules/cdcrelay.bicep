// The CDC relay (`toxic cdc-relay`: PostgreSQL logical replication to Kafka) as an Azure Container App. It is a
// long-running process holding one replication slot, not a function, so it cannot run on the Flex Consumption plan:
// one replica, never scaled. Its image is built from tools/Toxic.Cli/Dockerfile and pushed to a registry the deployer
// names. It reads the Function App's settings (the same keys); secret ones come from Key Vault through a user-assigned
// identity, which holds Key Vault Secrets User before the app is created, so the first revision can read them.

@description('Azure region.')
param location string

@description('Name of the container app; its environment is NAME-env and its identity NAME-id.')
@minLength(2)
@maxLength(32)
param name string

@description('The relay image, e.g. myregistry.azurecr.io/toxicfunctions/cdc-relay:1.0.')
@minLength(1)
param image string

@description('Registry server of a private image (empty: a public image).')
param registryServer string

@description('User name for registryServer.')
param registryUsername string

@description('Password for registryServer.')
@secure()
param registryPassword string

@description('Log Analytics workspace of the environment\'s console logs.')
param logAnalyticsWorkspaceName string

@description('The Key Vault holding the secret settings.')
param keyVaultName string

@description('Settings: name to value, the Function App\'s. Key Vault references among them are left out: keyVaultSettings supplies those the relay needs.')
param settings object

@description('Secret settings: name to the URI of its Key Vault secret.')
param keyVaultSettings object

var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6' // Key Vault Secrets User
var registryPasswordSecret = 'registry-password'

@description('A container app secret name for a setting: lower-case letters, digits and dashes.')
func secretName(setting string) string => toLower(replace(setting, '__', '-'))

resource workspace 'Microsoft.OperationalInsights/workspaces@2025-02-01' existing = {
  name: logAnalyticsWorkspaceName
}

resource vault 'Microsoft.KeyVault/vaults@2026-02-01' existing = {
  name: keyVaultName
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: '${name}-id'
  location: location
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, identity.id, keyVaultSecretsUser)
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
  }
}

resource environment 'Microsoft.App/managedEnvironments@2025-01-01' = {
  name: '${name}-env'
  location: location
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: workspace.properties.customerId
        sharedKey: workspace.listKeys().primarySharedKey
      }
    }
  }
}

resource relay 'Microsoft.App/containerApps@2025-01-01' = {
  name: name
  location: location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    managedEnvironmentId: environment.id
    configuration: {
      activeRevisionsMode: 'Single'
      secrets: concat(
        map(items(keyVaultSettings), s => {
          name: secretName(s.key)
          keyVaultUrl: s.value
          identity: identity.id
        }),
        empty(registryServer) ? [] : [{ name: registryPasswordSecret, value: registryPassword }]
      )
      registries: empty(registryServer)
        ? []
        : [
            {
              server: registryServer
              username: registryUsername
              passwordSecretRef: registryPasswordSecret
            }
          ]
    }
    template: {
      containers: [
        {
          name: 'cdc-relay'
          image: image
          args: [
            'cdc-relay'
          ]
          resources: {
            cpu: json('0.5')
            memory: '1Gi'
          }
          env: concat(
            map(filter(items(settings), s => !startsWith(string(s.value), '@Microsoft.KeyVault(')), s => {
              name: s.key
              value: string(s.value)
            }),
            map(items(keyVaultSettings), s => {
              name: s.key
              secretRef: secretName(s.key)
            })
          )
        }
      ]
      // One relay per replication slot: a second one would only wait for the slot.
      scale: {
        minReplicas: 1
        maxReplicas: 1
      }
    }
  }
  dependsOn: [
    secretsUser // the first revision reads the Key Vault secrets
  ]
}

@description('Name of the container app.')
output name string = relay.name

@description('Principal id of the relay\'s identity.')
output principalId string = identity.properties.principalId
