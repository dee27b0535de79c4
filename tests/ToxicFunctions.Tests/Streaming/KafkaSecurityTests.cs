using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ToxicFunctions.Functions.Streaming;
using ToxicFunctions.Streaming;
using ToxicFunctions.Telemetry;

namespace ToxicFunctions.Tests.Streaming;

/// <summary>
/// The Kafka security settings (Kafka:Protocol, AuthenticationMode, Username, Password, SslCaLocation) from
/// configuration to every Kafka client's librdkafka settings, and their checks at start; no broker needed.
/// </summary>
public sealed class KafkaSecurityTests
{
    private const string EventHubsConnection =
        "Endpoint=sb://toxic-ns.servicebus.windows.net/;SharedAccessKeyName=toxic-app;SharedAccessKey=c2VjcmV0";

    private static KafkaOptions Bind(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values.ToDictionary(p => "Kafka:" + p.Key, p => p.Value)).Build();
        var options = new KafkaOptions();
        KafkaOptionsBinding.Bind(configuration.GetSection(KafkaOptions.Section), options);
        return options;
    }

    private static ServiceProvider Services(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.ToDictionary(p => "Kafka:" + p.Key, p => p.Value))
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Postgres:ConnectionString"] = "Host=127.0.0.1", ["RawStorage"] = "UseDevelopmentStorage=true" })
            .Build();
        return new ServiceCollection().AddLogging().AddToxicFunctions(configuration).BuildServiceProvider();
    }

    private static Dictionary<string, string?> EventHubs() => new()
    {
        ["BootstrapServers"] = "toxic-ns.servicebus.windows.net:9093",
        ["Protocol"] = "saslSsl",
        ["AuthenticationMode"] = "Plain",
        ["Username"] = "$ConnectionString",
        ["Password"] = EventHubsConnection,
    };

    [Fact]
    public void Event_hubs_settings_give_sasl_ssl_plain_with_the_connection_string_to_producer_consumer_and_admin_client()
    {
        var services = Services(EventHubs());
        var kafka = services.GetRequiredService<IOptions<KafkaOptions>>().Value;
        ClientConfig[] configs =
        [
            services.GetRequiredService<CdcProducerFactory>().Config(),
            PartitionWatermarks.Config(kafka),
            BacklogSampler.AdminConfig(kafka),
        ];

        foreach (var config in configs)
        {
            Assert.Equal("toxic-ns.servicebus.windows.net:9093", config.BootstrapServers);
            Assert.Equal(SecurityProtocol.SaslSsl, config.SecurityProtocol);
            Assert.Equal(SaslMechanism.Plain, config.SaslMechanism);
            Assert.Equal("$ConnectionString", config.SaslUsername);
            Assert.Equal(EventHubsConnection, config.SaslPassword);
            Assert.Null(config.SslCaLocation); // the system's CA store
        }
    }

    [Fact]
    public void Without_security_settings_the_clients_stay_plaintext_as_before()
    {
        var services = Services(new() { ["BootstrapServers"] = "127.0.0.1:9092" });
        var config = services.GetRequiredService<CdcProducerFactory>().Config();

        Assert.Null(config.SecurityProtocol);
        Assert.Null(config.SaslMechanism);
        Assert.Null(config.SaslUsername);
        Assert.Null(config.SaslPassword);
        Assert.Null(config.Get("sasl.password"));
    }

    [Fact]
    public void Confluent_cloud_scram_and_a_ca_file_map_onto_librdkafka_names()
    {
        var ca = Path.GetTempFileName();
        try
        {
            var options = Bind(new()
            {
                ["Protocol"] = "SASLSSL",
                ["AuthenticationMode"] = "scramSha512",
                ["Username"] = "API-KEY",
                ["Password"] = "api-secret",
                ["SslCaLocation"] = ca,
            });
            Assert.Empty(KafkaSecurity.Validate(options));
            var config = new ProducerConfig();
            KafkaSecurity.Apply(config, options);

            Assert.Equal("sasl_ssl", config.Get("security.protocol"));
            Assert.Equal("SCRAM-SHA-512", config.Get("sasl.mechanism"));
            Assert.Equal("API-KEY", config.Get("sasl.username"));
            Assert.Equal("api-secret", config.Get("sasl.password"));
            Assert.Equal(ca, config.Get("ssl.ca.location"));
        }
        finally
        {
            File.Delete(ca);
        }
    }

    [Theory]
    [InlineData("plaintext", KafkaProtocol.Plaintext)]
    [InlineData("ssl", KafkaProtocol.Ssl)]
    [InlineData("saslPlaintext", KafkaProtocol.SaslPlaintext)]
    [InlineData("saslSsl", KafkaProtocol.SaslSsl)]
    [InlineData("NotSet", KafkaProtocol.NotSet)]
    [InlineData("", KafkaProtocol.NotSet)]
    public void Protocol_names_bind_in_any_case_and_empty_is_not_set(string value, KafkaProtocol expected) =>
        Assert.Equal(expected, Bind(new() { ["Protocol"] = value }).Protocol);

    [Theory]
    [InlineData("Protocol", "SASL_SSL", "Plaintext, Ssl, SaslPlaintext, SaslSsl, NotSet")]
    [InlineData("Protocol", "3", "SaslSsl")] // numbers are not names
    [InlineData("AuthenticationMode", "PLAINTEXT", "Gssapi, Plain, ScramSha256, ScramSha512, OAuthBearer, NotSet")]
    public void Unknown_names_are_refused_with_the_accepted_ones(string key, string value, string accepted)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Bind(new() { [key] = value }));
        Assert.Contains($"Kafka:{key} '{value}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(accepted, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SaslSsl", "Plain", "", "secret", "needs Kafka:Username and Kafka:Password")]
    [InlineData("SaslSsl", "ScramSha256", "user", "", "needs Kafka:Username and Kafka:Password")]
    [InlineData("SaslSsl", "NotSet", "user", "secret", "needs Kafka:AuthenticationMode")]
    [InlineData("SaslPlaintext", "", "", "", "needs Kafka:AuthenticationMode")]
    [InlineData("Ssl", "Plain", "user", "secret", "needs Kafka:Protocol SaslSsl or SaslPlaintext")]
    [InlineData("", "Plain", "user", "secret", "needs Kafka:Protocol SaslSsl or SaslPlaintext")]
    [InlineData("SaslSsl", "Gssapi", "user", "secret", "not supported")]
    [InlineData("SaslSsl", "OAuthBearer", "", "", "not supported")]
    [InlineData("Plaintext", "", "", "secret", "would not be sent")]
    public void Inconsistent_security_settings_are_refused(string protocol, string mode, string username, string password, string reason)
    {
        var options = Bind(new() { ["Protocol"] = protocol, ["AuthenticationMode"] = mode, ["Username"] = username, ["Password"] = password });

        var errors = KafkaSecurity.Validate(options);

        Assert.Contains(errors, e => e.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void A_ca_file_needs_tls_and_must_exist()
    {
        Assert.Contains(
            KafkaSecurity.Validate(Bind(new() { ["Protocol"] = "Plaintext", ["SslCaLocation"] = "/etc/hostname" })),
            e => e.Contains("uses no TLS", StringComparison.Ordinal));
        Assert.Contains(
            KafkaSecurity.Validate(Bind(new() { ["Protocol"] = "Ssl", ["SslCaLocation"] = "/no/such/ca.pem" })),
            e => e.Contains("'/no/such/ca.pem' is not a file", StringComparison.Ordinal));
    }

    [Fact]
    public void A_host_refuses_to_start_with_bad_kafka_settings()
    {
        var settings = EventHubs();
        settings["Password"] = "";
        var services = Services(settings);

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<KafkaOptions>>().Value);

        Assert.Contains("needs Kafka:Username and Kafka:Password", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_trigger_is_declared_with_the_built_security_and_the_settings_user_and_password()
    {
        var trigger = typeof(StreamCommentChanges).GetMethod(nameof(StreamCommentChanges.RunAsync))!.GetParameters()
            .Select(p => p.GetCustomAttributes(typeof(Microsoft.Azure.Functions.Worker.KafkaTriggerAttribute), false).SingleOrDefault())
            .OfType<Microsoft.Azure.Functions.Worker.KafkaTriggerAttribute>().Single();

        Assert.Equal(KafkaTriggerSecurity.Protocol, trigger.Protocol);
        Assert.Equal(KafkaTriggerSecurity.AuthenticationMode, trigger.AuthenticationMode);
        Assert.Equal("%Kafka:Username%", trigger.Username);
        Assert.Equal("%Kafka:Password%", trigger.Password);
    }

    [Fact]
    public void Settings_that_differ_from_the_built_trigger_are_refused_naming_the_build_properties()
    {
        // The default build (what the tests run): NotSet, which plaintext settings match.
        Assert.Null(KafkaTriggerSecurity.Check(Bind(new() { ["Protocol"] = "Plaintext" })));
        Assert.Null(KafkaTriggerSecurity.Check(Bind([])));

        var error = KafkaTriggerSecurity.Check(Bind(EventHubs()));

        Assert.NotNull(error);
        Assert.Contains("-p:KafkaProtocol=SaslSsl -p:KafkaAuthenticationMode=Plain", error, StringComparison.Ordinal);
        var validation = new KafkaTriggerSecurityValidator().Validate(null, Bind(EventHubs()));
        Assert.True(validation.Failed);
    }
}
