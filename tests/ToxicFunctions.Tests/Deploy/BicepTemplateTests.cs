using System.Text.Json;
using System.Text.Json.Nodes;

namespace ToxicFunctions.Tests.Deploy;

/// <summary>
/// infra-bicep/, the Azure deployment, through the Bicep CLI (<see cref="BicepCli"/>): main.bicep and main.bicepparam
/// build and lint without a single diagnostic under the strict bicepconfig.json, secrets come only from secure
/// parameters (environment variables in main.bicepparam) and reach the app as Key Vault references, and the Function
/// App's settings are every setting the app reads in Azure (the keys of local.settings.sample.json but the local-only
/// ones listed here).
/// </summary>
public sealed class BicepTemplateTests
{
    /// <summary>Keys of local.settings.sample.json that the Bicep does not set as app settings, and why.</summary>
    private static readonly Dictionary<string, string> s_notAppSettings = new(StringComparer.Ordinal)
    {
        // Flex Consumption refuses this app setting: the worker runtime is functionAppConfig.runtime (dotnet-isolated 10.0).
        ["FUNCTIONS_WORKER_RUNTIME"] = "functionAppConfig.runtime",
    };

    /// <summary>
    /// Connections the app reaches with its managed identity: the sample's connection string key is replaced by the
    /// Functions host's identity-based settings <c>KEY__property</c>.
    /// </summary>
    private static readonly Dictionary<string, string[]> s_identityConnections = new(StringComparer.Ordinal)
    {
        ["AzureWebJobsStorage"] = ["accountName"], // the host, timers, blob receipts, the Durable task hub
        ["RawStorage"] = ["blobServiceUri", "queueServiceUri"], // the blob trigger: its container and its receipts' queue
        ["ArtifactStorage"] = ["blobServiceUri"], // model artifacts, snapshots and validation reports (Storage__Provider Blob)
    };

    /// <summary>Functions host settings the Bicep sets beside the app's own.</summary>
    private static readonly HashSet<string> s_hostSettings = new(StringComparer.Ordinal)
    {
        "APPLICATIONINSIGHTS_CONNECTION_STRING", // the host's Application Insights logging and metrics
    };

    /// <summary>Settings that hold secrets: Key Vault references, never values.</summary>
    private static readonly string[] s_secretSettings =
        ["Postgres__ConnectionString", "S3__AccessKey", "S3__SecretKey", "Kafka__Password"];

    /// <summary>Values for main.bicepparam's environment variables: test values, not secrets.</summary>
    private static readonly Dictionary<string, string?> s_parameterEnvironment = new(StringComparer.Ordinal)
    {
        ["TOXIC_POSTGRES_ADMIN_PASSWORD"] = "test-only-postgres-password",
        ["TOXIC_S3_ACCESS_KEY"] = "test-only-access-key",
        ["TOXIC_S3_SECRET_KEY"] = "test-only-secret-key",
        ["TOXIC_KAFKA_PASSWORD"] = null,
        ["TOXIC_REGISTRY_PASSWORD"] = null,
    };

    private static readonly Lazy<JsonObject> s_template = new(BuildTemplate);

    private static JsonObject Template => s_template.Value;

    private static JsonObject BuildTemplate()
    {
        var (exitCode, output, error) = BicepCli.Run(["build", "main.bicep", "--stdout"]);
        Assert.True(exitCode == 0 && error.Length == 0, $"bicep build main.bicep: exit {exitCode}\n{error}");
        return JsonNode.Parse(output)!.AsObject();
    }

    private static Dictionary<string, string> Sample()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Repository.PathOf("local.settings.sample.json")));
        return json.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
    }

    /// <summary>Every resource of the template and its modules' templates, depth first.</summary>
    private static IEnumerable<JsonObject> Resources(JsonObject template)
    {
        var resources = template["resources"] switch
        {
            JsonObject byName => byName.Select(p => p.Value!.AsObject()),
            JsonArray list => list.Select(r => r!.AsObject()),
            _ => [],
        };
        foreach (var resource in resources)
        {
            yield return resource;
            if (resource["properties"]?["template"] is JsonObject nested)
            {
                foreach (var inner in Resources(nested))
                {
                    yield return inner;
                }
            }
        }
    }

    private static JsonObject Module(string name) =>
        Resources(Template).Single(r => (string?)r["type"] == "Microsoft.Resources/deployments" && (string?)r["name"] == name);

    /// <summary>The Function App's settings as main.bicep passes them to modules/functionapp.bicep: name to ARM expression.</summary>
    private static Dictionary<string, string> AppSettings() =>
        Module("functionApp")["properties"]!["parameters"]!["appSettings"]!["value"]!.AsObject()
            .ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal);

    /// <summary>The one resource of <paramref name="type"/> the template creates (references to existing ones aside).</summary>
    private static JsonObject Single(string type) =>
        Assert.Single(Resources(Template), r => (string?)r["type"] == type && (bool?)r["existing"] != true);

    [Fact]
    public void Main_builds_without_diagnostics() =>
        Assert.Equal("Microsoft.Resources/deployments", (string?)Module("functionApp")["type"]);

    [Fact]
    public void Lint_finds_nothing_under_the_strict_configuration()
    {
        var (exitCode, output, error) = BicepCli.Run(["lint", "main.bicep"]);

        Assert.True(exitCode == 0 && output.Length == 0 && error.Length == 0, $"bicep lint main.bicep: exit {exitCode}\n{output}{error}");

        // The configuration raises every core rule it names to warning or error; only the registry rule is off.
        using var config = JsonDocument.Parse(File.ReadAllText(Repository.PathOf("infra-bicep/bicepconfig.json")));
        var rules = config.RootElement.GetProperty("analyzers").GetProperty("core").GetProperty("rules").EnumerateObject().ToList();
        Assert.True(rules.Count >= 30, "bicepconfig.json names fewer core rules than expected");
        foreach (var rule in rules.Where(r => r.Name != "use-recent-module-versions"))
        {
            Assert.Contains(rule.Value.GetProperty("level").GetString(), new[] { "warning", "error" });
        }
    }

    [Fact]
    public void Parameters_file_builds_with_secrets_only_from_the_environment()
    {
        var (exitCode, output, error) = BicepCli.Run(["build-params", "main.bicepparam", "--stdout"], s_parameterEnvironment);

        Assert.True(exitCode == 0 && error.Length == 0, $"bicep build-params main.bicepparam: exit {exitCode}\n{error}");
        var parameters = JsonNode.Parse(output)!["parametersJson"] is JsonValue wrapped
            ? JsonNode.Parse(wrapped.GetValue<string>())!["parameters"]!.AsObject()
            : JsonNode.Parse(output)!["parameters"]!.AsObject();
        Assert.Equal("test-only-postgres-password", (string?)parameters["postgresAdministratorPassword"]!["value"]);
        Assert.Equal("test-only-access-key", (string?)parameters["s3AccessKey"]!["value"]);
        Assert.Equal("test-only-secret-key", (string?)parameters["s3SecretKey"]!["value"]);

        // Every secure parameter of main.bicep is read from the environment in main.bicepparam, never written there.
        var secure = Template["parameters"]!.AsObject().Where(p => (string?)p.Value!["type"] is "securestring" or "secureObject").Select(p => p.Key).ToList();
        Assert.NotEmpty(secure);
        var parameterFile = File.ReadAllLines(Repository.PathOf("infra-bicep/main.bicepparam"));
        foreach (var name in secure)
        {
            var assignment = Assert.Single(parameterFile, l => l.StartsWith($"param {name} ", StringComparison.Ordinal));
            Assert.Contains("readEnvironmentVariable(", assignment, StringComparison.Ordinal);
        }

        // Without the variables, the file does not build: no deployment runs with a made-up secret.
        var missing = BicepCli.Run(["build-params", "main.bicepparam", "--stdout"], s_parameterEnvironment.ToDictionary(p => p.Key, _ => (string?)null));
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("TOXIC_POSTGRES_ADMIN_PASSWORD", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void App_settings_are_every_setting_the_app_reads_in_azure()
    {
        var settings = AppSettings();
        var sample = Sample();

        foreach (var key in sample.Keys.Where(k => !k.StartsWith("LocalHost__", StringComparison.Ordinal) && !s_notAppSettings.ContainsKey(k)))
        {
            if (s_identityConnections.TryGetValue(key, out var properties))
            {
                foreach (var property in properties)
                {
                    Assert.True(settings.ContainsKey($"{key}__{property}"), $"main.bicep does not set {key}__{property} (the identity-based form of {key})");
                }

                Assert.False(settings.ContainsKey(key), $"main.bicep sets {key} as a connection string; the app reaches it with its identity");
            }
            else
            {
                Assert.True(settings.ContainsKey(key), $"main.bicep does not set {key} (local.settings.sample.json): add it to the Function App's appSettings");
            }
        }

        foreach (var key in settings.Keys)
        {
            var connection = key.Split("__")[0];
            Assert.True(
                sample.ContainsKey(key) || s_hostSettings.Contains(key)
                    || (s_identityConnections.TryGetValue(connection, out var properties) && properties.Contains(key[(connection.Length + 2)..])),
                $"main.bicep sets {key}, which is neither a key of local.settings.sample.json, its identity-based form, nor a listed host setting");
            Assert.False(key.StartsWith("LocalHost__", StringComparison.Ordinal), $"{key} belongs to the local host");
        }

        Assert.True(s_notAppSettings.Keys.All(sample.ContainsKey), "a key listed as not an app setting is no longer in local.settings.sample.json");
    }

    [Fact]
    public void Fixed_app_settings_have_the_sample_values()
    {
        // Settings main.bicep writes as literals (not parameters, outputs or references) are the sample's defaults.
        var sample = Sample();
        var literals = AppSettings().Where(p => !p.Value.StartsWith('[') && sample.ContainsKey(p.Key)).ToList();

        Assert.True(literals.Count >= 25, $"only {literals.Count} literal settings: the test no longer sees main.bicep's values");
        foreach (var (key, value) in literals)
        {
            Assert.True(value == sample[key], $"main.bicep sets {key} to '{value}', local.settings.sample.json to '{sample[key]}'");
        }
    }

    [Fact]
    public void Secret_settings_are_key_vault_references_and_no_secret_is_an_output()
    {
        var settings = AppSettings();
        var function = Template["functions"]!.ToJsonString();
        Assert.Contains("@Microsoft.KeyVault(SecretUri=", function, StringComparison.Ordinal);
        foreach (var key in s_secretSettings)
        {
            Assert.Contains("keyVaultReference(", settings[key], StringComparison.Ordinal);
        }

        foreach (var (name, output) in Template["outputs"]!.AsObject())
        {
            Assert.Equal("string", (string?)output!["type"]);
            Assert.DoesNotContain("listKeys", output.ToJsonString(), StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("password", name, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Resources_are_flex_consumption_dotnet_10_with_identity_logical_wal_kafka_and_roles()
    {
        var site = Single("Microsoft.Web/sites");
        Assert.Equal("SystemAssigned", (string?)site["identity"]!["type"]);
        var runtime = site["properties"]!["functionAppConfig"]!["runtime"]!;
        Assert.Equal(("dotnet-isolated", "10.0"), ((string?)runtime["name"], (string?)runtime["version"]));
        Assert.Equal("SystemAssignedIdentity", (string?)site["properties"]!["functionAppConfig"]!["deployment"]!["storage"]!["authentication"]!["type"]);
        Assert.Equal("FlexConsumption", (string?)Single("Microsoft.Web/serverfarms")["sku"]!["tier"]);

        var wal = Single("Microsoft.DBforPostgreSQL/flexibleServers/configurations");
        Assert.Equal("logical", (string?)wal["properties"]!["value"]);
        Assert.Contains("wal_level", (string?)wal["name"], StringComparison.Ordinal);
        // The app's database is the one of the sample's connection string.
        var database = Sample()["Postgres__ConnectionString"].Split(';').Single(p => p.StartsWith("Database=", StringComparison.Ordinal))["Database=".Length..];
        Assert.Equal(database, (string?)Module("postgres")["properties"]!["parameters"]!["databaseName"]!["value"]);
        Assert.Contains("databaseName", (string?)Single("Microsoft.DBforPostgreSQL/flexibleServers/databases")["name"], StringComparison.Ordinal);

        Assert.Equal("Standard", (string?)Single("Microsoft.EventHub/namespaces")["sku"]!["name"]);
        Assert.Contains("useEventHubs", (string?)Module("eventHubs")["condition"], StringComparison.Ordinal);
        Assert.True((bool?)Single("Microsoft.KeyVault/vaults")["properties"]!["enableRbacAuthorization"]);
        Assert.False((bool?)Single("Microsoft.Storage/storageAccounts")["properties"]!["allowSharedKeyAccess"]);

        // Built-in roles of the app's identity: blob owner, queue and table contributor, Key Vault Secrets User.
        var roles = Resources(Template).Where(r => (string?)r["type"] == "Microsoft.Authorization/roleAssignments").Select(r => r.ToJsonString()).ToList();
        var text = string.Join('\n', roles) + Module("roles")["properties"]!["template"]!.ToJsonString();
        foreach (var role in new[] { "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "974c5e8b-45b9-4653-ba55-5f855dd0fb88", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "4633458b-17de-408a-b874-0445c86b69e6" })
        {
            Assert.Contains(role, text, StringComparison.Ordinal);
        }

        foreach (var output in new[] { "functionAppUrl", "postgresFqdn", "kafkaBootstrapServers", "keyVaultUri", "storageBlobEndpoint" })
        {
            Assert.True(Template["outputs"]!.AsObject().ContainsKey(output), $"main.bicep has no output {output}");
        }
    }

    [Fact]
    public void New_raw_blobs_reach_the_blob_trigger_through_event_grid_once_subscribed()
    {
        // Flex Consumption runs only the Event Grid source of the blob trigger: a second deployment, after the publish,
        // subscribes the raw container's BlobCreated events to the host's blobs webhook for IngestRawBlob.
        var module = Module("rawBlobEvents");
        Assert.Contains("subscribeRawBlobEvents", (string?)module["condition"], StringComparison.Ordinal);
        Assert.Equal("IngestRawBlob", (string?)module["properties"]!["parameters"]!["functionName"]!["value"]);
        // ... the app's blob-triggered function, as the Worker SDK declares it to the host.
        using (var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "functions.metadata"))))
        {
            Assert.Contains(
                metadata.RootElement.EnumerateArray(),
                f => f.GetProperty("name").GetString() == "IngestRawBlob"
                    && f.GetProperty("bindings").EnumerateArray().Any(b => b.GetProperty("type").GetString() == "blobTrigger"));
        }

        var subscription = Single("Microsoft.EventGrid/systemTopics/eventSubscriptions")["properties"]!;
        Assert.Equal("WebHook", (string?)subscription["destination"]!["endpointType"]);
        var endpoint = (string?)subscription["destination"]!["properties"]!["endpointUrl"];
        Assert.Contains("/runtime/webhooks/blobs?functionName=Host.Functions.", endpoint, StringComparison.Ordinal);
        Assert.Contains("systemKeys.blobs_extension", endpoint, StringComparison.Ordinal);
        Assert.Equal(["Microsoft.Storage.BlobCreated"], subscription["filter"]!["includedEventTypes"]!.AsArray().Select(t => (string?)t));
        Assert.Contains("rawContainerName", (string?)subscription["filter"]!["subjectBeginsWith"], StringComparison.Ordinal);
        Assert.Equal("StorageBlob", (string?)subscription["deadLetterWithResourceIdentity"]!["deadLetterDestination"]!["endpointType"]);
        Assert.Equal("Microsoft.Storage.StorageAccounts", (string?)Single("Microsoft.EventGrid/systemTopics")["properties"]!["topicType"]);
    }

    [Fact]
    public void The_cdc_relay_is_one_container_app_with_the_apps_settings_and_its_secrets_from_key_vault()
    {
        var module = Module("cdcRelay");
        Assert.Contains("cdcRelayImage", (string?)module["condition"], StringComparison.Ordinal);
        var parameters = module["properties"]!["parameters"]!;
        // The relay reads the Function App's settings: the same object, not a second list.
        Assert.True(
            JsonNode.DeepEquals(parameters["settings"]!["value"], Module("functionApp")["properties"]!["parameters"]!["appSettings"]!["value"]),
            "the relay's settings are not the Function App's");
        Assert.Contains("Postgres__ConnectionString", parameters["keyVaultSettings"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("Kafka__Password", parameters["keyVaultSettings"]!.ToJsonString(), StringComparison.Ordinal);

        var app = Single("Microsoft.App/containerApps");
        var template = app["properties"]!["template"]!;
        Assert.Equal((1, 1), ((int?)template["scale"]!["minReplicas"], (int?)template["scale"]!["maxReplicas"]));
        var container = Assert.Single(template["containers"]!.AsArray())!;
        Assert.Equal(["cdc-relay"], container["args"]!.AsArray().Select(a => (string?)a));
        // Key Vault references are App Service syntax: the container app gets secret references instead.
        var env = container["env"]!.ToJsonString();
        Assert.Contains("@Microsoft.KeyVault(", env, StringComparison.Ordinal);
        Assert.Contains("secretRef", env, StringComparison.Ordinal);
        Assert.Contains("keyVaultUrl", app["properties"]!["configuration"]!["secrets"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("UserAssigned", (string?)app["identity"]!["type"]);
        Assert.Contains("4633458b-17de-408a-b874-0445c86b69e6", Module("cdcRelay")["properties"]!["template"]!.ToJsonString(), StringComparison.Ordinal);
    }
}
