// Azure Database for PostgreSQL flexible server with the app's database. wal_level=logical lets the CDC relay
// (toxic cdc-relay) or Debezium decode source.comments' changes; the server applies it after a restart (README).
// The app's Npgsql connection string, with the administrator password, goes into Key Vault, never into an output.

@description('Azure region.')
param location string

@description('Name prefix of the resources.')
@minLength(3)
param prefix string

@description('Suffix that makes the names unique (uniqueString of the resource group).')
param suffix string

@description('Administrator login of the server (the app connects as this role).')
param administratorLogin string

@description('Administrator password.')
@secure()
param administratorPassword string

@description('The app\'s database (Postgres__ConnectionString Database=).')
param databaseName string

@description('PostgreSQL major version.')
@allowed([
  '15'
  '16'
  '17'
])
param version string

@description('Compute SKU, e.g. Standard_B1ms (Burstable) or Standard_D2ds_v5 (GeneralPurpose).')
param skuName string

@description('Tier of skuName.')
@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
param skuTier string

@description('Storage size in GiB.')
param storageSizeGB int

@description('Key Vault that receives the connection string secret.')
param keyVaultName string

@description('Name of the connection string secret.')
param connectionStringSecretName string

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2025-08-01' = {
  name: '${prefix}-pg-${suffix}'
  location: location
  sku: {
    name: skuName
    tier: skuTier
  }
  properties: {
    version: version
    administratorLogin: administratorLogin
    administratorLoginPassword: administratorPassword
    authConfig: {
      passwordAuth: 'Enabled'
      activeDirectoryAuth: 'Disabled'
    }
    storage: {
      storageSizeGB: storageSizeGB
    }
    backup: {
      backupRetentionDays: 7
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: 'Disabled'
    }
    network: {
      publicNetworkAccess: 'Enabled'
    }
  }
}

// Logical decoding for change data capture; takes effect after a server restart.
resource walLevel 'Microsoft.DBforPostgreSQL/flexibleServers/configurations@2025-08-01' = {
  parent: server
  name: 'wal_level'
  properties: {
    value: 'logical'
    source: 'user-override'
  }
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2025-08-01' = {
  parent: server
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
  dependsOn: [
    walLevel // configuration changes and database creation may not overlap on one server
  ]
}

// Flex Consumption apps without a virtual network leave from Azure's shared outbound addresses: the 0.0.0.0 rule
// admits connections from Azure services only (not the internet); passwords and TLS still apply.
resource azureServices 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2025-08-01' = {
  parent: server
  name: 'AllowAllAzureServicesAndResourcesWithinAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
  dependsOn: [
    database
  ]
}

resource vault 'Microsoft.KeyVault/vaults@2026-02-01' existing = {
  name: keyVaultName
}

resource connectionString 'Microsoft.KeyVault/vaults/secrets@2026-02-01' = {
  parent: vault
  name: connectionStringSecretName
  properties: {
    value: 'Host=${server.properties.fullyQualifiedDomainName};Port=5432;Database=${database.name};Username=${administratorLogin};Password=${administratorPassword};SSL Mode=Require'
    contentType: 'Npgsql connection string'
  }
}

@description('Fully qualified domain name of the server.')
output fqdn string = server.properties.fullyQualifiedDomainName

@description('Name of the server.')
output serverName string = server.name

@description('URI of the connection string secret (latest version).')
output connectionStringSecretUri string = connectionString.properties.secretUri
