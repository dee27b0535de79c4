using Microsoft.Extensions.Options;
using ToxicFunctions.Streaming;

namespace ToxicFunctions.Functions.Streaming;

/// <summary>
/// Refuses Kafka settings whose protocol or SASL mechanism differ from what the Kafka trigger was built with
/// (<see cref="KafkaTriggerSecurity.Check"/>): otherwise the relay and the lag sampler would reach the brokers one way
/// and the trigger another, and the stream would stop without an error at start.
/// </summary>
public sealed class KafkaTriggerSecurityValidator : IValidateOptions<KafkaOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, KafkaOptions options) =>
        KafkaTriggerSecurity.Check(options) is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;
}
