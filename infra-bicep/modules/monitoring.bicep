// Log Analytics workspace and the workspace-based Application Insights resource the Functions host writes to
// (APPLICATIONINSIGHTS_CONNECTION_STRING): requests, traces, exceptions, dependencies and the host's metrics.

@description('Azure region.')
param location string

@description('Name of the Log Analytics workspace.')
param workspaceName string

@description('Name of the Application Insights resource (main.bicep reads its connection string).')
param appInsightsName string

@description('Days the workspace keeps logs.')
@minValue(30)
@maxValue(730)
param retentionInDays int

resource workspace 'Microsoft.OperationalInsights/workspaces@2025-02-01' = {
  name: workspaceName
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
  }
}

@description('Id of the Application Insights resource.')
output appInsightsId string = appInsights.id

@description('Name of the Log Analytics workspace.')
output workspaceName string = workspace.name
