using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ToxicFunctions.Tests.Deploy;

/// <summary>
/// docker-compose.yml agrees with local.settings.sample.json, functions/Dockerfile and deploy/debezium/: the functions
/// container gets every setting the app reads (the sample's keys but the local host's LocalHost__*) and nothing else
/// but documented Functions host variables, pointed at the compose services; the host ports are the sample's local
/// defaults (so `toxic` with the sample settings works against compose); topic, consumer group, buckets, the
/// connector's database and the MinIO webhook all name what the other side has; the opt-in CDC relay (profile relay)
/// is built from tools/Toxic.Cli/Dockerfile with the functions' values of the settings it reads.
/// </summary>
public sealed partial class ComposeFileTests
{
    /// <summary>Functions host and runtime variables the functions service may set beside the sample's keys.</summary>
    private static readonly HashSet<string> s_hostVariables = new(StringComparer.Ordinal)
    {
        "AzureWebJobsSecretStorageType", // where the host reads function keys: the files of deploy/compose/functions-keys
    };

    private static readonly Lazy<YamlMappingNode> s_compose = new(() =>
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Repository.PathOf("docker-compose.yml"));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    });

    private static readonly Lazy<Dictionary<string, string>> s_sample = new(() =>
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Repository.PathOf("local.settings.sample.json")));
        return json.RootElement.GetProperty("Values").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
    });

    private static YamlMappingNode Services => Map(s_compose.Value, "services");

    private static Dictionary<string, string> Sample => s_sample.Value;

    [Fact]
    public void Has_the_services_of_the_pipeline()
    {
        string[] expected = ["postgres", "kafka", "kafka-init", "connect", "connector-init", "cdc-relay", "minio", "minio-init", "azurite", "functions"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), ServiceNames().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_depends_on_names_a_service_with_a_condition_it_can_meet()
    {
        var names = ServiceNames().ToHashSet(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var service = Map(Services, name);
            if (!service.Children.TryGetValue(new YamlScalarNode("depends_on"), out var node))
            {
                continue;
            }

            foreach (var (key, value) in ((YamlMappingNode)node).Children)
            {
                var dependency = ((YamlScalarNode)key).Value!;
                Assert.True(names.Contains(dependency), $"{name} depends on {dependency}, which is no service");
                var condition = Scalar((YamlMappingNode)value, "condition");
                switch (condition)
                {
                    case "service_healthy":
                        Assert.True(HasHealthcheckTest(dependency), $"{name} waits for {dependency} to be healthy, which has no healthcheck");
                        break;
                    case "service_completed_successfully":
                        Assert.True(IsOneShot(dependency), $"{name} waits for {dependency} to complete, which is no one-shot service");
                        break;
                    default:
                        Assert.Fail($"{name} depends on {dependency} with condition {condition}");
                        break;
                }
            }
        }
    }

    [Fact]
    public void Every_long_running_service_has_a_healthcheck_or_restarts_on_exit()
    {
        foreach (var name in ServiceNames().Where(n => !IsOneShot(n)))
        {
            var service = Map(Services, name);
            var healthcheck = Map(service, "healthcheck");
            if (healthcheck.Children.TryGetValue(new YamlScalarNode("disable"), out var disable) && ((YamlScalarNode)disable).Value == "true")
            {
                // A service with nothing to ask (the relay serves no port) says so, and its liveness is its process:
                // it exits on failure and compose starts it again.
                Assert.True(
                    service.Children.TryGetValue(new YamlScalarNode("restart"), out var restart)
                        && ((YamlScalarNode)restart).Value is "always" or "unless-stopped" or "on-failure",
                    $"{name} disables its healthcheck but is not restarted when it exits");
                continue;
            }

            Assert.True(HasHealthcheckTest(name), $"{name}'s healthcheck has no test");
        }
    }

    [Fact]
    public void Functions_environment_is_the_sample_settings_and_documented_host_variables()
    {
        var environment = Environment("functions");
        foreach (var key in environment.Keys)
        {
            Assert.True(Sample.ContainsKey(key) || s_hostVariables.Contains(key),
                $"the functions service sets {key}, which is neither a key of local.settings.sample.json nor a documented host variable");
            Assert.False(key.StartsWith("LocalHost__", StringComparison.Ordinal), $"{key} belongs to the local host");
        }

        foreach (var key in Sample.Keys.Where(k => !k.StartsWith("LocalHost__", StringComparison.Ordinal)))
        {
            Assert.True(environment.ContainsKey(key), $"the functions service does not set {key} (local.settings.sample.json)");
        }
    }

    [Fact]
    public void Functions_settings_equal_the_sample_except_addresses_which_name_compose_services()
    {
        var environment = Environment("functions");
        string[] addresses = ["AzureWebJobsStorage", "RawStorage", "Postgres__ConnectionString", "S3__ServiceUrl", "Kafka__BootstrapServers"];
        foreach (var (key, value) in Sample.Where(p => !p.Key.StartsWith("LocalHost__", StringComparison.Ordinal) && !addresses.Contains(p.Key)))
        {
            Assert.True(environment[key] == value, $"{key} is '{environment[key]}' in compose, '{value}' in local.settings.sample.json");
        }

        // PostgreSQL: the service and its container port; user and database as in the sample.
        var connection = ConnectionString(environment["Postgres__ConnectionString"]);
        var sampleConnection = ConnectionString(Sample["Postgres__ConnectionString"]);
        Assert.Equal("postgres", connection["Host"]);
        Assert.Equal(ContainerPort("postgres", int.Parse(sampleConnection["Port"], System.Globalization.CultureInfo.InvariantCulture)).ToString(System.Globalization.CultureInfo.InvariantCulture), connection["Port"]);
        Assert.Equal(sampleConnection["Username"], connection["Username"]);
        Assert.Equal(sampleConnection["Database"], connection["Database"]);

        // S3: MinIO's container port behind the sample's host port.
        var s3 = new Uri(environment["S3__ServiceUrl"]);
        Assert.Equal("minio", s3.Host);
        Assert.Equal(ContainerPort("minio", new Uri(Sample["S3__ServiceUrl"]).Port), s3.Port);

        // Kafka: the listener advertised inside the network.
        var bootstrap = environment["Kafka__BootstrapServers"];
        Assert.StartsWith("kafka:", bootstrap, StringComparison.Ordinal);
        Assert.Contains("://" + bootstrap, Environment("kafka")["KAFKA_ADVERTISED_LISTENERS"], StringComparison.Ordinal);

        // Azure Storage: Azurite's three endpoints, by service name, on its container ports.
        foreach (var key in new[] { "AzureWebJobsStorage", "RawStorage" })
        {
            var storage = ConnectionString(environment[key]);
            Assert.Equal("devstoreaccount1", storage["AccountName"]);
            foreach (var (endpoint, port) in new[] { ("BlobEndpoint", 10000), ("QueueEndpoint", 10001), ("TableEndpoint", 10002) })
            {
                var uri = new Uri(storage[endpoint]);
                Assert.Equal("azurite", uri.Host);
                Assert.Equal(ContainerPort("azurite", port), uri.Port);
            }
        }
    }

    [Fact]
    public void Host_ports_are_the_local_defaults_of_the_sample()
    {
        var sampleConnection = ConnectionString(Sample["Postgres__ConnectionString"]);
        Assert.Equal(5432, ContainerPort("postgres", int.Parse(sampleConnection["Port"], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(9000, ContainerPort("minio", new Uri(Sample["S3__ServiceUrl"]).Port));

        var kafkaPort = int.Parse(Sample["Kafka__BootstrapServers"].Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
        var kafkaListener = ContainerPort("kafka", kafkaPort);
        Assert.Contains($"HOST://:{kafkaListener}", Environment("kafka")["KAFKA_LISTENERS"], StringComparison.Ordinal);
        Assert.Contains($"HOST://{Sample["Kafka__BootstrapServers"]}", Environment("kafka")["KAFKA_ADVERTISED_LISTENERS"], StringComparison.Ordinal);

        // UseDevelopmentStorage=true: Azurite's default ports on the host.
        Assert.Equal("UseDevelopmentStorage=true", Sample["AzureWebJobsStorage"]);
        foreach (var port in new[] { 10000, 10001, 10002 })
        {
            Assert.Equal(port, ContainerPort("azurite", port));
        }

        // The functions: the sample's HTTP port on the host, the port the image listens on inside.
        using var json = JsonDocument.Parse(File.ReadAllText(Repository.PathOf("local.settings.sample.json")));
        var httpPort = json.RootElement.GetProperty("Host").GetProperty("LocalHttpPort").GetInt32();
        Assert.Equal(httpPort, new Uri(Sample["LocalHost__Urls"]).Port);
        Assert.Equal(DockerfilePort(), ContainerPort("functions", httpPort));
    }

    [Fact]
    public void Every_published_port_is_bound_to_loopback()
    {
        foreach (var name in ServiceNames())
        {
            foreach (var (address, _, _) in Ports(name))
            {
                Assert.True(address == "127.0.0.1", $"{name} publishes a port on {address}, not on 127.0.0.1");
            }
        }
    }

    [Fact]
    public void Kafka_topic_and_consumer_group_agree_with_the_sample_and_the_connector()
    {
        var topic = Sample["Kafka__Topic"];
        var environment = Environment("functions");
        Assert.Equal(topic, environment["Kafka__Topic"]);
        Assert.Equal(Sample["Kafka__ConsumerGroup"], environment["Kafka__ConsumerGroup"]);

        var init = Strings(Map(Services, "kafka-init"), "command");
        Assert.Equal(topic, init[init.IndexOf("--topic") + 1]);
        Assert.Equal("3", init[init.IndexOf("--partitions") + 1]);
        Assert.Equal(environment["Kafka__BootstrapServers"], init[init.IndexOf("--bootstrap-server") + 1]);

        var connector = Connector();
        Assert.Equal(topic, connector["topic.prefix"] + ".source.comments");
        Assert.Equal(Sample["Cdc__TopicPrefix"], connector["topic.prefix"]);
        Assert.Equal("source.comments", connector["table.include.list"]);
        Assert.Equal(Sample["Cdc__Publication"], connector["publication.name"]);
        Assert.Equal("none", connector["skipped.operations"]);
    }

    [Fact]
    public void Connector_database_settings_point_at_the_postgres_service()
    {
        var connect = Environment("connect");
        string Resolve(string value)
        {
            var match = EnvReference().Match(value);
            if (!match.Success)
            {
                return value;
            }

            Assert.Equal("env", connect["CONNECT_CONFIG_PROVIDERS"]);
            Assert.Equal("org.apache.kafka.common.config.provider.EnvVarConfigProvider", connect["CONNECT_CONFIG_PROVIDERS_ENV_CLASS"]);
            Assert.True(connect.TryGetValue(match.Groups[1].Value, out var resolved), $"the connect service does not set {match.Groups[1].Value}");
            return resolved!;
        }

        var connector = Connector();
        var postgres = Environment("postgres");
        var host = Resolve(connector["database.hostname"]);
        Assert.Equal("postgres", host);
        Assert.Contains(host, ServiceNames());
        var sampleConnection = ConnectionString(Sample["Postgres__ConnectionString"]);
        Assert.Equal(ContainerPort("postgres", int.Parse(sampleConnection["Port"], System.Globalization.CultureInfo.InvariantCulture)).ToString(System.Globalization.CultureInfo.InvariantCulture), Resolve(connector["database.port"]));
        Assert.Equal(postgres["POSTGRES_USER"], Resolve(connector["database.user"]));
        Assert.Equal(postgres["POSTGRES_PASSWORD"], Resolve(connector["database.password"]));
        Assert.Equal(postgres["POSTGRES_DB"], connector["database.dbname"]);
        Assert.Equal(connect["BOOTSTRAP_SERVERS"], Environment("functions")["Kafka__BootstrapServers"]);

        // connector-init registers the envelope file of deploy/debezium, mounted from the repository.
        var init = Map(Services, "connector-init");
        Assert.Contains("./deploy/debezium:/debezium:ro", Strings(init, "volumes"));
        Assert.Equal("/debezium/source-comments-connector.json", Environment("connector-init")["CONNECTOR"]);
        Assert.Equal("http://connect:8083", Environment("connector-init")["CONNECT_URL"]);
        Assert.True(File.Exists(Repository.PathOf("deploy/compose/register-connector.sh")));
    }

    [Fact]
    public void Postgres_has_logical_decoding_and_the_sample_user_and_database()
    {
        var postgres = Map(Services, "postgres");
        Assert.Contains("wal_level=logical", Strings(postgres, "command"));
        Assert.StartsWith("postgres:15", Scalar(postgres, "image"), StringComparison.Ordinal);
        var environment = Environment("postgres");
        var sampleConnection = ConnectionString(Sample["Postgres__ConnectionString"]);
        Assert.Equal(sampleConnection["Username"], environment["POSTGRES_USER"]);
        Assert.Equal(sampleConnection["Database"], environment["POSTGRES_DB"]);
        Assert.False(sampleConnection.ContainsKey("Password"));
        Assert.Equal("trust", environment["POSTGRES_HOST_AUTH_METHOD"]);
    }

    [Fact]
    public void Minio_uses_the_sample_keys_and_pushes_raw_bucket_events_to_the_functions_webhook()
    {
        var minio = Environment("minio");
        Assert.Equal(Sample["S3__AccessKey"], minio["MINIO_ROOT_USER"]);
        Assert.Equal(Sample["S3__SecretKey"], minio["MINIO_ROOT_PASSWORD"]);

        var enabled = minio.Where(p => p.Key.StartsWith("MINIO_NOTIFY_WEBHOOK_ENABLE_", StringComparison.Ordinal)).ToList();
        var target = Assert.Single(enabled).Key["MINIO_NOTIFY_WEBHOOK_ENABLE_".Length..];
        Assert.Equal("on", minio["MINIO_NOTIFY_WEBHOOK_ENABLE_" + target]);

        var endpoint = new Uri(minio["MINIO_NOTIFY_WEBHOOK_ENDPOINT_" + target]);
        Assert.Equal("functions", endpoint.Host);
        Assert.Equal(DockerfilePort(), endpoint.Port);
        Assert.Equal("/api/s3/events", endpoint.AbsolutePath);
        var route = File.ReadAllText(Repository.PathOf("functions/Ingestion/S3Events.cs"));
        Assert.Contains("Route = \"s3/events\"", route, StringComparison.Ordinal);
        Assert.Equal("?code=" + FunctionKey(), endpoint.Query);

        var script = string.Join('\n', Strings(Map(Services, "minio-init"), "command"));
        Assert.Contains($"mc alias set toxic http://minio:{ContainerPort("minio", new Uri(Sample["S3__ServiceUrl"]).Port)} {Sample["S3__AccessKey"]} {Sample["S3__SecretKey"]}", script, StringComparison.Ordinal);
        var buckets = Regex.Match(script, @"mc mb --ignore-existing ([^&]+)&&").Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            new[] { Sample["S3__RawBucket"], Sample["S3__ReportsBucket"], Sample["Pipeline__ArtifactsBucket"] }.Select(b => "toxic/" + b).Order(StringComparer.Ordinal),
            buckets.Order(StringComparer.Ordinal));
        Assert.Contains($"mc event add --ignore-existing toxic/{Sample["S3__RawBucket"]} arn:minio:sqs::{target}:webhook --event put", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Functions_image_is_built_from_the_dockerfile_with_the_official_kafka_extension_and_mounted_keys()
    {
        var functions = Map(Services, "functions");
        var build = Map(functions, "build");
        Assert.Equal(".", Scalar(build, "context"));
        Assert.Equal("functions/Dockerfile", Scalar(build, "dockerfile"));
        Assert.Equal("Official", Scalar(Map(build, "args"), "KAFKA_EXTENSION"));
        Assert.True(File.Exists(Repository.PathOf(Scalar(build, "dockerfile"))));

        Assert.Contains("./deploy/compose/functions-keys:/run/secrets/functions-keys:ro", Strings(functions, "volumes"));
        Assert.Equal("kubernetes", Environment("functions")["AzureWebJobsSecretStorageType"]);
        foreach (var file in new[] { "host.master", "host.function.default" })
        {
            var key = File.ReadAllText(Repository.PathOf("deploy/compose/functions-keys/" + file));
            Assert.True(key.Length > 0 && key == key.Trim(), $"deploy/compose/functions-keys/{file} must hold the key alone (the host reads the whole file), no newline");
        }

        var healthcheck = string.Join(' ', Strings(Map(functions, "healthcheck"), "test"));
        Assert.Contains($"/dev/tcp/127.0.0.1/{DockerfilePort()}", healthcheck, StringComparison.Ordinal);
        Assert.Contains("/admin/host/ping", healthcheck, StringComparison.Ordinal);
    }

    [Fact]
    public void Relay_is_an_opt_in_service_built_from_its_dockerfile_with_the_functions_settings_it_reads()
    {
        var relay = Map(Services, "cdc-relay");

        // Opt-in: Debezium (connect) is the default CDC source, and two sources would publish every change twice.
        Assert.Equal(["relay"], Strings(relay, "profiles"));
        Assert.DoesNotContain(ServiceNames(), n => n != "cdc-relay" && DependsOn(n).Contains("cdc-relay"));

        var build = Map(relay, "build");
        Assert.Equal(".", Scalar(build, "context"));
        Assert.Equal(CdcRelayContainer.Dockerfile, Scalar(build, "dockerfile"));
        Assert.True(File.Exists(Repository.PathOf(CdcRelayContainer.Dockerfile)));
        Assert.Equal(CdcRelayContainer.Image + ":local", Scalar(relay, "image")); // the tag deploy/k8s/overlays/local runs

        // Exactly the settings the relay reads, each with the functions service's value (the sample's, addresses
        // pointed at the compose services).
        var environment = Environment("cdc-relay");
        var functions = Environment("functions");
        Assert.Equal(CdcRelayContainer.Settings.Order(StringComparer.Ordinal), environment.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, value) in environment)
        {
            Assert.True(functions[key] == value, $"{key} is '{value}' for cdc-relay, '{functions[key]}' for functions");
        }

        // Its slot is not Debezium's: the two never take each other's slot.
        Assert.NotEqual(Connector()["slot.name"], environment["Cdc__SlotName"]);
        Assert.Contains("postgres", DependsOn("cdc-relay"));
        Assert.Contains("kafka-init", DependsOn("cdc-relay"));
        Assert.Empty(Ports("cdc-relay"));
    }

    private static string FunctionKey() => File.ReadAllText(Repository.PathOf("deploy/compose/functions-keys/host.function.default"));

    private static IEnumerable<string> ServiceNames() => Services.Children.Keys.Select(k => ((YamlScalarNode)k).Value!);

    private static bool HasHealthcheckTest(string service) =>
        Map(Services, service).Children.TryGetValue(new YamlScalarNode("healthcheck"), out var healthcheck)
        && ((YamlMappingNode)healthcheck).Children.TryGetValue(new YamlScalarNode("test"), out var test)
        && test is YamlSequenceNode { Children.Count: > 1 };

    private static List<string> DependsOn(string service) =>
        Map(Services, service).Children.TryGetValue(new YamlScalarNode("depends_on"), out var node)
            ? [.. ((YamlMappingNode)node).Children.Keys.Select(k => ((YamlScalarNode)k).Value!)]
            : [];

    private static bool IsOneShot(string service) =>
        Map(Services, service).Children.TryGetValue(new YamlScalarNode("restart"), out var restart) && ((YamlScalarNode)restart).Value == "no";

    private static YamlMappingNode Map(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child)
            ? (YamlMappingNode)child
            : throw new InvalidOperationException($"docker-compose.yml: no '{key}' under {node.Start}");

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node.Children[new YamlScalarNode(key)]).Value!;

    private static List<string> Strings(YamlMappingNode node, string key) => node.Children[new YamlScalarNode(key)] switch
    {
        YamlSequenceNode sequence => [.. sequence.Children.Select(c => ((YamlScalarNode)c).Value!)],
        YamlScalarNode scalar => [scalar.Value!],
        var other => throw new InvalidOperationException($"docker-compose.yml: '{key}' at {other.Start} is neither a list nor a string"),
    };

    private static Dictionary<string, string> Environment(string service) =>
        Map(Map(Services, service), "environment").Children.ToDictionary(
            p => ((YamlScalarNode)p.Key).Value!, p => ((YamlScalarNode)p.Value).Value ?? "", StringComparer.Ordinal);

    /// <summary>The service's published ports as (host address, host port, container port).</summary>
    private static List<(string Address, int Host, int Container)> Ports(string service)
    {
        var node = Map(Services, service);
        if (!node.Children.ContainsKey(new YamlScalarNode("ports")))
        {
            return [];
        }

        return [.. Strings(node, "ports").Select(p =>
        {
            var parts = p.Split(':');
            Assert.True(parts.Length == 3, $"{service} publishes '{p}': expected ADDRESS:HOST:CONTAINER");
            return (parts[0], int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture));
        })];
    }

    /// <summary>The container port that the service publishes on the given host port.</summary>
    private static int ContainerPort(string service, int hostPort)
    {
        var ports = Ports(service).Where(p => p.Host == hostPort).ToList();
        Assert.True(ports.Count == 1, $"{service} does not publish host port {hostPort}");
        return ports[0].Container;
    }

    /// <summary>The port of ASPNETCORE_URLS in functions/Dockerfile (where the host listens) and its EXPOSE.</summary>
    private static int DockerfilePort()
    {
        var dockerfile = File.ReadAllText(Repository.PathOf("functions/Dockerfile"));
        var port = int.Parse(Regex.Match(dockerfile, @"(?m)^\s+ASPNETCORE_URLS=http://\+:(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Matches($@"(?m)^EXPOSE {port}\s*$", dockerfile);
        return port;
    }

    private static Dictionary<string, string> Connector()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Repository.PathOf("deploy/debezium/source-comments-connector.json")));
        return json.RootElement.GetProperty("config").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
    }

    private static Dictionary<string, string> ConnectionString(string value) =>
        value.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv[1], StringComparer.OrdinalIgnoreCase);

    [GeneratedRegex(@"^\$\{env:([A-Za-z0-9_]+)\}$")]
    private static partial Regex EnvReference();
}
