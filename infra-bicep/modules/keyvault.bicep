// Key Vault in RBAC mode for the app's secret settings, which app settings name through Key Vault references
// (@Microsoft.KeyVault(SecretUri=...)) resolved with the Function App's identity (Key Vault Secrets User, roles.bicep).
// The PostgreSQL and Event Hubs modules add their connection strings; the secrets given as parameters are stored here.

@description('Azure region.')
param location string

@description('Name of the vault (3 to 24 characters, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('Secrets to store: name and value.')
@secure()
param secrets object

resource vault 'Microsoft.KeyVault/vaults@2026-02-01' = {
  name: name
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

resource stored 'Microsoft.KeyVault/vaults/secrets@2026-02-01' = [
  for secret in items(secrets): {
    parent: vault
    name: secret.key
    properties: {
      value: secret.value
    }
  }
]

@description('Name of the vault.')
output name string = vault.name

@description('URI of the vault, e.g. https://NAME.vault.azure.net/.')
output uri string = vault.properties.vaultUri
